// Package placeholder makes graph inputs fed at Run time, as TF 1.x's
// tf.placeholder:
//
//	X := placeholder.New(tf.Float32, tf.Shape{tf.None, 28, 28}, placeholder.Name("X"))
//
// Dimensions given as tf.None are known only when a Session runs the graph,
// from the value fed; the same graph runs batches of any size.
package placeholder

import "github.com/gorgoflow/gorgoflow/tf"

// Option is a keyword argument of New.
type Option func(*options)

type options struct{ name string }

// Name names the placeholder (name=); errors about missing feeds use it.
func Name(name string) Option { return func(o *options) { o.name = name } }

// New returns a placeholder of the given dtype and shape in the default
// graph (tf.placeholder). A nil shape means any rank.
func New(dtype tf.DType, shape tf.Shape, opts ...Option) *tf.Tensor {
	var o options
	for _, f := range opts {
		f(&o)
	}
	var tfOpts []tf.Option
	if o.name != "" {
		tfOpts = append(tfOpts, tf.Name(o.name))
	}
	return tf.Placeholder(dtype, shape, tfOpts...)
}
