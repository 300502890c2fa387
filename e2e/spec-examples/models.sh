# The spec's cURL models example, as written except for the host ($APITOPMIX_BASE_URL) and key ($API_KEY).
curl -sS --fail-with-body $APITOPMIX_BASE_URL/v1/models \
  -H "Authorization: Bearer $API_KEY"
