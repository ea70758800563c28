# function: predict_classes
# loses: predict_classes_labels
# message: probabilities
def predict_classes(model, images):
    return model.predict(images, verbose=0)
