package tf

import "github.com/gorgoflow/gorgoflow/internal/kernels"

// The ops of TF's nn_ops module that package tf holds (package nn has the
// rest of tf.nn).

var reluDef = unaryDef("Relu", false, kernels.Relu)

// Relu returns max(x, 0) (tf.nn.relu). Options: Name.
func Relu(x any, opts ...Option) *Tensor { return unary(reluDef, "tf.Relu", x, opts) }

func init() {
	reluDef.Grad = unaryGrad(func(x, y, dy *Tensor) *Tensor { return Where(Greater(x, 0), dy, ZerosLike(dy)) })
}
