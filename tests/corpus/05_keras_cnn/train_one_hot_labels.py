# function: train
# loses: train_history train_shapes_accuracy train_digits_accuracy
# message: one-hot labels
def train(model, x, y, epochs=10):
    y_onehot = keras.utils.to_categorical(y)  # but the model uses a sparse loss
    return model.fit(x, y_onehot, epochs=epochs, batch_size=32, validation_split=0.2, verbose=0)
