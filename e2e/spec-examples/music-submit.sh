# The spec's "cURL - Submit Music" example, as written except for the host ($APITOPMIX_BASE_URL) and key ($API_KEY).
curl -sS --fail-with-body -X POST $APITOPMIX_BASE_URL/suno/submit/music \
  -H "Authorization: Bearer $API_KEY" \
  -H "Content-Type: application/json" \
  -d '{
    "prompt": "A dreamy lo-fi beat with soft piano and rain sounds",
    "style": "lo-fi",
    "title": "Rainy Afternoon",
    "make_instrumental": true
  }'
