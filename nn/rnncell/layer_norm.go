package rnncell

import "github.com/gorgoflow/gorgoflow/tf"

// layerNormEpsilon is tf.contrib.layers.layer_norm's variance_epsilon.
const layerNormEpsilon = 1e-12

// norms are the gamma and beta variables of a cell's layer
// normalizations, by scope name.
type norms map[string][2]*tf.Variable

// make creates "<scope>/gamma" and "<scope>/beta" [n] (initialized to gain
// and shift) for each scope, in order, as TF's cells do before calling
// tf.contrib.layers.layer_norm with reuse.
func (m norms) make(v *variables, n int, gain, shift float64, scopes ...string) {
	for _, s := range scopes {
		m[s] = [2]*tf.Variable{
			v.get(s+"/gamma", tf.Shape{n}, tf.ConstantInitializer(gain)),
			v.get(s+"/beta", tf.Shape{n}, tf.ConstantInitializer(shift)),
		}
	}
}

// apply is tf.contrib.layers.layer_norm(x, scope=scope) of x [batch, n]
// with the scope's variables: over each row, (x - mean)/sqrt(variance +
// 1e-12)·gamma + beta (nn.moments and nn.batch_normalization).
func (m norms) apply(x *tf.Tensor, scope string) *tf.Tensor {
	gb := m[scope]
	mean := tf.ReduceMean(x, tf.Axis(1), tf.KeepDims(true))
	d := tf.Sub(x, mean)
	variance := tf.ReduceMean(tf.Square(d), tf.Axis(1), tf.KeepDims(true))
	return tf.Add(tf.Mul(tf.Div(d, tf.Sqrt(tf.Add(variance, layerNormEpsilon))), gb[0]), gb[1])
}
