# The spec's "cURL — Gemini Native Format" example, as written except for the host and key.
curl -sS --fail-with-body -X POST $APITOPMIX_BASE_URL/v1beta/models/gemini-3-pro-preview:generateContent \
  -H "Authorization: Bearer $API_KEY" \
  -H "Content-Type: application/json" \
  -d '{
    "systemInstruction": {"parts": [{"text": "You are a helpful assistant."}]},
    "contents": [{"role": "user", "parts": [{"text": "Hello!"}]}],
    "generationConfig": {
      "temperature": 0.7,
      "maxOutputTokens": 200
    }
  }'
