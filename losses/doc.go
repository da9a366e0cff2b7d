// Package losses holds TF 1.x's tf.losses: MeanSquaredError,
// AbsoluteDifference, HuberLoss, LogLoss, SigmoidCrossEntropy,
// SoftmaxCrossEntropy, SparseSoftmaxCrossEntropy and ComputeWeightedLoss,
// with TF's weights (tf.Weights, default 1.0) and reductions
// (tf.Reduction, default SumByNonzeroWeights: the weighted sum divided by
// the number of non-zero weights, which with the default weights is the
// mean), and the loss collection: every loss is added to its graph's
// "losses" collection (tf.LossCollection), read by GetLosses and summed by
// GetTotalLoss.
//
//	loss := losses.MeanSquaredError(y, outputs)       // tf.losses.mean_squared_error(y, outputs)
//	xent := losses.SparseSoftmaxCrossEntropy(y, logits, tf.Weights(w))
//	total := losses.GetTotalLoss()                      // tf.losses.get_total_loss()
//
// Each loss builds TF 1.x's ops in TF's name scope (mean_squared_error,
// huber_loss, ...), so its gradient and GraphDef form are those ops'. One
// difference from TF 1.x: TF computes every loss in float32 (it casts
// float64 inputs down and the result back); gorgoflow computes float64
// losses in float64. Integer inputs are cast to float32, as TF's.
//
// As in package tf, constructors never panic: a call that cannot build its
// loss returns a tensor carrying the error, naming the function, what was
// given and the caller's file:line.
package losses
