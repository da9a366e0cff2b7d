// Package train holds TF 1.x's tf.train optimizers and global step:
// GradientDescentOptimizer, MomentumOptimizer, AdamOptimizer,
// RMSPropOptimizer, AdagradOptimizer, AdadeltaOptimizer, FtrlOptimizer,
// ProximalGradientDescentOptimizer, ProximalAdagradOptimizer and
// AdagradDAOptimizer, with TF's defaults, TF's update formulas (those of
// tensorflow/core/kernels/training_ops.cc, dense and sparse), and TF's
// slot variables.
//
//	optimizer := train.NewAdamOptimizer(0.001)
//	trainingOp := optimizer.Minimize(loss)
//	init := tf.GlobalVariablesInitializer() // after Minimize: it makes slots
//
// As in TF, the learning rate (and the other hyperparameters TF converts
// to tensors: momentum, epsilon, decay, rho, the proximal optimizers' L1
// and L2 strengths) is a number or a scalar tensor, such as a placeholder
// fed at each step, or a learning rate schedule of the global step
// (ExponentialDecay, PiecewiseConstant, PolynomialDecay, NaturalExpDecay,
// InverseTimeDecay, CosineDecay, CosineDecayRestarts, LinearCosineDecay:
// TF's tf.train.exponential_decay and its siblings).
//
// # Semantics
//
// Minimize(loss) is ComputeGradients followed by ApplyGradients. The
// returned operation computes every gradient before it updates any
// variable, so a loss fetched in the same Run as the training op is the
// loss at the weights before the step, as in TF.
//
// Optimizers keep their state in variables of the graph, named as TF names
// them: Adam's first and second moments of variable "W" are "W/Adam" and
// "W/Adam_1" and its powers of beta are "beta1_power" and "beta2_power";
// Momentum's accumulator is "W/Momentum", RMSProp's mean square "W/RMSProp"
// (initialized to ones, as TF 1.x) and momentum "W/RMSProp_1", Adagrad's
// accumulator "W/Adagrad" (initialized to 0.1). They are not trainable and
// are initialized by tf.GlobalVariablesInitializer built after Minimize.
//
// Updates write new buffers into the session's variable store; tensors
// fetched before a step keep their values.
//
// # Checkpoints
//
// Saver saves and restores variables in TF's V2 checkpoint format, under
// TF's names (slots included), so checkpoints move between TF 1.x and
// gorgoflow both ways:
//
//	saver := train.NewSaver() // after Minimize
//	path, err := saver.Save(sess, "./my_model.ckpt", train.GlobalStep(step))
//	...
//	err = saver.Restore(sess, train.LatestCheckpoint("."))
//
// A save is crash-safe (temporaries, sync, rename, the checkpoint state
// file last); a failed restore leaves the session unchanged. ListVariables
// and LoadVariable read checkpoints without a graph; WriteGraph and
// Saver.ExportMetaGraph write the graph (GraphDef, MetaGraphDef).
//
// # Errors
//
// As in package tf, nothing here panics: an optimizer given a bad option,
// or a loss that does not depend on any variable, returns an operation
// carrying the error, which Session.Run returns.
package train
