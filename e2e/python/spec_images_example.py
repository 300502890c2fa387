# The spec's images "Python Example", as written except for where the base URL and key come from.
import os

from openai import OpenAI

client = OpenAI(
    api_key=os.environ["APITOPMIX_API_KEY"],
    base_url=os.environ["APITOPMIX_BASE_URL"] + "/v1"
)

response = client.images.generate(
    model="nano-banana-2",
    prompt="A futuristic city with flying cars at sunset, cyberpunk style",
    n=1,
    size="1024x1024"
)

image_url = response.data[0].url
print(f"Image: {image_url}")
