# function: predict_top_k
# loses:
# message:
def predict_top_k(model, image, labels, k=3):
    _, size, _, _ = model.input_shape
    probabilities = model.predict(preprocess_for_model(image, size), verbose=0)[0].tolist()
    ranked = sorted(range(len(probabilities)), key=lambda i: (-probabilities[i], i))
    return [(labels[i], probabilities[i]) for i in ranked[:k]]
