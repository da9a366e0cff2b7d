package workloads

import (
	"github.com/gorgoflow/gorgoflow/contrib/rnn"
	"github.com/gorgoflow/gorgoflow/layers"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/placeholder"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/train"
)

// UserCell is a recurrent cell written as a user would write one, from
// plain ops: BasicRNNCell's math, h' = tanh([x, h]·kernel + bias). W7 runs
// it: DynamicRNN cannot recognize it, so it takes the generic loop.
type UserCell struct {
	Units        int
	kernel, bias *tf.Variable
}

// StateSize returns [Units].
func (c *UserCell) StateSize() []int { return []int{c.Units} }

// OutputSize returns Units.
func (c *UserCell) OutputSize() int { return c.Units }

// ZeroState returns zeros [batch, Units].
func (c *UserCell) ZeroState(batchSize any, dtype tf.DType) []*tf.Tensor {
	return rnn.ZeroState(c, batchSize, dtype)
}

// Call computes one step; its variables are made on the first call, under
// the variable scope "user_cell".
func (c *UserCell) Call(x *tf.Tensor, state []*tf.Tensor) (*tf.Tensor, []*tf.Tensor) {
	if c.kernel == nil {
		defer tf.VariableScope("user_cell", tf.ReuseInherit)()
		c.kernel = tf.GetVariable("kernel", tf.Shape{x.Shape()[1] + c.Units, c.Units}, tf.WithDType(x.DType()))
		c.bias = tf.GetVariable("bias", tf.Shape{c.Units}, tf.WithDType(x.DType()), tf.WithInitializer(tf.ZerosInitializer()))
	}
	h := tf.Tanh(tf.Add(tf.MatMul(tf.Concat([]*tf.Tensor{x, state[0]}, 1), c.kernel), c.bias))
	return h, []*tf.Tensor{h}
}

// UserCellModel builds W7 in the default graph: MNISTModel with a UserCell
// of W1Neurons units in place of the BasicRNNCell.
func UserCellModel() *Model {
	X := placeholder.New(tf.Float32, tf.Shape{tf.None, W1Steps, W1Inputs}, placeholder.Name("X"))
	y := placeholder.New(tf.Int32, tf.Shape{tf.None}, placeholder.Name("y"))
	_, states := nn.DynamicRNN(&UserCell{Units: W1Neurons}, X, rnn.DType(tf.Float32))
	logits := layers.FullyConnected(states[0], W1Outputs, layers.ActivationFn(nil))
	loss := tf.ReduceMean(nn.SparseSoftmaxCrossEntropyWithLogits(y, logits))
	trainingOp := train.NewAdamOptimizer(LearningRate).Minimize(loss)
	accuracy := tf.ReduceMean(tf.Cast(nn.InTopK(logits, y, 1), tf.Float32))
	return &Model{X: X, Y: y, Outputs: logits, Loss: loss, TrainOp: trainingOp, Accuracy: accuracy}
}
