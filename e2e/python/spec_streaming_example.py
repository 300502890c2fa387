# The spec's "Python Streaming Example", as written except for where the base URL and key come from.
import os

from openai import OpenAI

client = OpenAI(
    api_key=os.environ["APITOPMIX_API_KEY"],
    base_url=os.environ["APITOPMIX_BASE_URL"] + "/v1"
)

stream = client.chat.completions.create(
    model="gpt-4.1",
    messages=[{"role": "user", "content": "Write a poem about AI."}],
    stream=True
)

for chunk in stream:
    if chunk.choices[0].delta.content:
        print(chunk.choices[0].delta.content, end="")
