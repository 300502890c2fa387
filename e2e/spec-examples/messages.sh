# The spec's cURL Claude Messages example, as written except for the host ($APITOPMIX_BASE_URL) and key ($API_KEY).
curl -sS --fail-with-body $APITOPMIX_BASE_URL/v1/messages \
  -H "x-api-key: $API_KEY" \
  -H "anthropic-version: 2023-06-01" \
  -H "Content-Type: application/json" \
  -d '{
    "model": "claude-sonnet-4-6",
    "max_tokens": 500,
    "system": "You are a helpful assistant.",
    "messages": [
      {"role": "user", "content": "Explain quantum computing in simple terms."}
    ]
  }'
