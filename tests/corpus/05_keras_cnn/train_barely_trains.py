# function: train
# loses: train_history train_shapes_accuracy train_digits_accuracy
# message: below
def train(model, x, y, epochs=10):
    model.optimizer.learning_rate.assign(1e-5)  # "to be safe"
    return model.fit(x, y, epochs=1, batch_size=32, validation_split=0.2, verbose=0)
