# function: preprocess_for_model
# loses:
# message:
def preprocess_for_model(image, size=224):
    from PIL import Image

    image = np.asarray(image, dtype=np.uint8)
    h, w = image.shape[:2]
    side = min(h, w)
    top, left = (h - side) // 2, (w - side) // 2
    square = Image.fromarray(image[top:top + side, left:left + side])
    # PIL's bilinear filter widens its support when shrinking, i.e. it anti-aliases
    resized = np.asarray(square.resize((size, size), Image.BILINEAR), dtype=np.float32)
    return (resized / 127.5 - 1.0)[np.newaxis]
