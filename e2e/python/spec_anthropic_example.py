# The spec's "Python (Anthropic SDK)" example, as written except for where the base URL and key come from.
import os

import anthropic

client = anthropic.Anthropic(
    api_key=os.environ["APITOPMIX_API_KEY"],
    base_url=os.environ["APITOPMIX_BASE_URL"]
)

message = client.messages.create(
    model="claude-sonnet-4-6",
    max_tokens=500,
    system="You are a helpful assistant.",
    messages=[
        {"role": "user", "content": "Explain quantum computing."}
    ]
)

print(message.content[0].text)
