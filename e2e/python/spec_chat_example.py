# The spec's "Python (OpenAI SDK)" chat example, as written except for where the base URL and key come from.
import os

from openai import OpenAI

client = OpenAI(
    api_key=os.environ["APITOPMIX_API_KEY"],
    base_url=os.environ["APITOPMIX_BASE_URL"] + "/v1"
)

response = client.chat.completions.create(
    model="claude-sonnet-4",
    messages=[
        {"role": "system", "content": "You are a helpful assistant."},
        {"role": "user", "content": "Explain quantum computing."}
    ],
    max_tokens=500,
    temperature=0.7
)

print(response.choices[0].message.content)
