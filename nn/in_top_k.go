package nn

import (
	"math"

	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/tf"
)

var inTopKDef = &tf.OpDef{
	Type: "InTopK",
	Infer: func(a tf.Attrs, in []tf.Spec) ([]tf.Spec, error) {
		p, t := in[0], in[1]
		if !p.DType.IsFloating() {
			return nil, errors.Errorf("predictions have dtype %s, want float32", p.DType)
		}
		if !t.DType.IsInteger() {
			return nil, errors.Errorf("targets have dtype %s, want int32 or int64", t.DType)
		}
		if p.Shape != nil && len(p.Shape) != 2 {
			return nil, errors.Errorf("predictions must be a matrix [batch, classes], got shape %v", p.Shape)
		}
		if t.Shape != nil && len(t.Shape) != 1 {
			return nil, errors.Errorf("targets must be a vector [batch], got shape %v", t.Shape)
		}
		batch := tf.None
		if p.Shape != nil {
			batch = p.Shape[0]
		}
		if t.Shape != nil {
			if batch >= 0 && t.Shape[0] >= 0 && batch != t.Shape[0] {
				return nil, errors.Errorf("predictions have %d rows but targets have %d", batch, t.Shape[0])
			}
			if batch < 0 {
				batch = t.Shape[0]
			}
		}
		return []tf.Spec{{DType: tf.Bool, Shape: tf.Shape{batch}}}, nil
	},
	Kernel: func(c *tf.KernelContext) error {
		pred := tfimpl.Float64s(c.In[0])
		targets := intLabels(tfimpl.Backing(c.In[1]))
		shape := c.In[0].Shape()
		batch, classes := shape[0], shape[1]
		if len(targets) != batch {
			return errors.Errorf("predictions have %d rows but targets have %d", batch, len(targets))
		}
		k := c.Attrs().Int("k", 1)
		out := tfimpl.Backing(c.AllocUninit(0)).([]bool) // every element written
		for b := 0; b < batch; b++ {
			out[b] = inTopK(pred[b*classes:(b+1)*classes], targets[b], k)
		}
		return nil
	},
}

// inTopK is TF's rule: false for a target outside [0, classes) or a
// non-finite prediction in the row; else true when fewer than k classes
// score strictly more than the target (ties count for the target).
func inTopK(row []float64, target int64, k int) bool {
	if target < 0 || target >= int64(len(row)) {
		return false
	}
	tp := row[target]
	more := 0
	for _, p := range row {
		if math.IsNaN(p) || math.IsInf(p, 0) {
			return false
		}
		if p > tp {
			more++
		}
	}
	return more < k
}

// InTopK reports, for each row of predictions [batch, classes], whether the
// class targets[i] is among the k highest predictions (tf.nn.in_top_k). As
// in TF, ties straddling the top-k boundary all count as in the top k; a
// row holding a non-finite prediction, or a target outside [0, classes),
// gives false. targets is int32 or int64; the result is bool [batch].
//
// Options: tf.Name.
func InTopK(predictions, targets any, k int, opts ...tf.Option) *tf.Tensor {
	a, err := tfimpl.ParseArgs("nn.InTopK", opts, "name")
	if err != nil {
		return tfimpl.ErrTensor(err)
	}
	if k < 0 {
		return tfimpl.ErrTensor(errors.Errorf("nn.InTopK at %s: k is %d, want k >= 0", tfimpl.CallerSite(), k))
	}
	return tf.AddOp(tf.OpSpec{Def: inTopKDef, Name: a.Name(), Inputs: []any{predictions, labelsTensor(targets)}, Attrs: tf.Attrs{"k": k}}).Output(0)
}
