# The spec's "Gemini via OpenAI SDK" example (Option A), as written except for where the base URL and key come from.
import os

from openai import OpenAI

client = OpenAI(
    api_key=os.environ["APITOPMIX_API_KEY"],
    base_url=os.environ["APITOPMIX_BASE_URL"] + "/v1"
)

response = client.chat.completions.create(
    model="gemini-3-pro-preview",
    messages=[{"role": "user", "content": "Hello, Gemini!"}]
)
print(response.choices[0].message.content)
