# The spec's "cURL - Poll Status" example, as written except for the host, the key and the task id ($TASK_ID).
curl -sS --fail-with-body $APITOPMIX_BASE_URL/v1/videos/$TASK_ID \
  -H "Authorization: Bearer $API_KEY"
