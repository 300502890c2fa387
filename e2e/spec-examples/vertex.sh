# The spec's "cURL — After (ApiTopMix)" Vertex example, as written except for the host and key.
curl -sS --fail-with-body -H "Authorization: Bearer $API_KEY" \
  "$APITOPMIX_BASE_URL/v1/projects/any/locations/any/publishers/google/models/gemini-3-pro-preview:generateContent" \
  -H "Content-Type: application/json" \
  -d '{"contents":[{"role":"user","parts":[{"text":"Hello"}]}]}'
