# The spec's images cURL example, as written except for the host ($APITOPMIX_BASE_URL) and key ($API_KEY).
curl -sS --fail-with-body -X POST $APITOPMIX_BASE_URL/v1/images/generations \
  -H "Authorization: Bearer $API_KEY" \
  -H "Content-Type: application/json" \
  -d '{
    "model": "nano-banana-2",
    "prompt": "A majestic snow leopard on a mountain peak at sunrise, digital painting",
    "n": 1,
    "size": "1024x1024"
  }'
