# function: predict_top_k
# loses: predict_top_k_order predict_top_k_shapes_model
# message: descending order
def predict_top_k(model, image, labels, k=3):
    size = model.input_shape[1]
    p = model.predict(preprocess_for_model(image, size), verbose=0)[0]
    order = np.argsort(p)[:k]
    return [(labels[i], float(p[i])) for i in order]
