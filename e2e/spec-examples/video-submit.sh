# The spec's "cURL - Submit Video" example, as written except for the host ($APITOPMIX_BASE_URL) and key ($API_KEY).
curl -sS --fail-with-body -X POST $APITOPMIX_BASE_URL/v1/videos \
  -H "Authorization: Bearer $API_KEY" \
  -H "Content-Type: application/json" \
  -d '{
    "model": "grok-video-3",
    "prompt": "A golden retriever running on a beach at sunset, cinematic",
    "duration": 10,
    "resolution": "720p"
  }'
