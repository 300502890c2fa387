# The spec's video "Python Example" (submit, then the polling loop), as written except for the base URL and key.
import os
import requests, time

BASE = os.environ["APITOPMIX_BASE_URL"] + "/v1"
KEY = os.environ["APITOPMIX_API_KEY"]
H = {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}

# Submit
r = requests.post(f"{BASE}/videos", headers=H, json={
    "model": "grok-video-3",
    "prompt": "A cat watching fish in an aquarium",
    "duration": 10, "resolution": "720p"
})
task_id = r.json()["id"]
print(f"Submitted: {task_id}")

# Poll
while True:
    s = requests.get(f"{BASE}/videos/{task_id}", headers=H).json()
    d = s.get("data", s)
    print(f"Status: {d.get('status')} | {d.get('progress')}")
    if d.get("status") == "SUCCESS":
        print(f"Video: {d['data']['output']}")
        break
    elif d.get("status") == "FAILURE":
        print(f"Failed: {d.get('fail_reason')}")
        break
    time.sleep(10)
