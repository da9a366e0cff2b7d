package nn

import (
	"fmt"
	"math"

	"github.com/pkg/errors"
	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/tf"
)

// axisOf resolves a possibly negative axis against rank.
func axisOf(axis, rank int) (int, error) {
	a := axis
	if a < 0 {
		a += rank
	}
	if a < 0 || a >= rank {
		return 0, errors.Errorf("axis %d is out of range for a tensor of rank %d", axis, rank)
	}
	return a, nil
}

// softmaxInfer checks a floating input of rank >= 1 and the axis attribute.
func softmaxInfer(a tf.Attrs, in []tf.Spec) ([]tf.Spec, error) {
	if !in[0].DType.IsFloating() {
		return nil, errors.Errorf("logits have dtype %s, want float32 or float64", in[0].DType)
	}
	if in[0].Shape != nil {
		if len(in[0].Shape) == 0 {
			return nil, errors.New("logits must have rank at least 1, got a scalar")
		}
		if _, err := axisOf(a.Int("axis", -1), len(in[0].Shape)); err != nil {
			return nil, err
		}
	}
	return []tf.Spec{in[0]}, nil
}

// split returns the sizes before, along and after axis.
func split(shape []int, axis int) (outer, n, inner int) {
	outer, inner = 1, 1
	for i, d := range shape {
		switch {
		case i < axis:
			outer *= d
		case i > axis:
			inner *= d
		}
	}
	return outer, shape[axis], inner
}

// softmaxKernel writes softmax (or log-softmax) of x along the middle axis
// of an [outer, n, inner] layout, subtracting the maximum first.
func softmaxKernel[T float](x, out []T, outer, n, inner int, log bool) {
	for o := 0; o < outer; o++ {
		for i := 0; i < inner; i++ {
			base := o*n*inner + i
			m := math.Inf(-1)
			for k := 0; k < n; k++ {
				m = math.Max(m, float64(x[base+k*inner]))
			}
			s := 0.0
			for k := 0; k < n; k++ {
				s += math.Exp(float64(x[base+k*inner]) - m)
			}
			ls := math.Log(s)
			for k := 0; k < n; k++ {
				z := float64(x[base+k*inner]) - m
				if log {
					out[base+k*inner] = T(z - ls)
				} else {
					out[base+k*inner] = T(math.Exp(z) / s)
				}
			}
		}
	}
}

func softmaxDef(typ string, log bool) *tf.OpDef {
	return &tf.OpDef{
		Type:  typ,
		Infer: softmaxInfer,
		Kernel: func(c *tf.KernelContext) error {
			x := c.In[0]
			shape := []int(x.Shape())
			axis, err := axisOf(c.Attrs().Int("axis", -1), len(shape))
			if err != nil {
				return err
			}
			outer, n, inner := split(shape, axis)
			out := c.AllocUninit(0) // every element written
			switch xs := tfimpl.Backing(x).(type) {
			case []float32:
				softmaxKernel(xs, tfimpl.Backing(out).([]float32), outer, n, inner, log)
			case []float64:
				softmaxKernel(xs, tfimpl.Backing(out).([]float64), outer, n, inner, log)
			}
			return nil
		},
	}
}

var (
	softmaxOpDef    = softmaxDef("Softmax", false)
	logSoftmaxOpDef = softmaxDef("LogSoftmax", true)
)

func softmaxLike(def *tf.OpDef, fn string, logits any, opts []tf.Option) *tf.Tensor {
	a, err := tfimpl.ParseArgs(fn, opts, "name", "axis")
	if err != nil {
		return tfimpl.ErrTensor(err)
	}
	axis := -1
	if ax := a.Axes(); a.Given("axis") {
		if len(ax) != 1 {
			return tfimpl.ErrTensor(errors.Errorf("%s: Axis takes one axis, got %v", fn, ax))
		}
		axis = ax[0]
	}
	return tf.AddOp(tf.OpSpec{Def: def, Name: a.Name(), Inputs: []any{logits}, Attrs: tf.Attrs{"axis": axis}}).Output(0)
}

// Softmax returns exp(logits) / sum(exp(logits), axis) (tf.nn.softmax),
// computed after subtracting the maximum along axis.
//
// Options: tf.Axis (one axis, default -1, the last), tf.Name.
func Softmax(logits any, opts ...tf.Option) *tf.Tensor {
	return softmaxLike(softmaxOpDef, "nn.Softmax", logits, opts)
}

// LogSoftmax returns logits - log(sum(exp(logits), axis))
// (tf.nn.log_softmax), computed stably.
//
// Options: tf.Axis (one axis, default -1, the last), tf.Name.
func LogSoftmax(logits any, opts ...tf.Option) *tf.Tensor {
	return softmaxLike(logSoftmaxOpDef, "nn.LogSoftmax", logits, opts)
}

// ---- fused cross entropies ----

// xentInfer: logits [..., C]; labels [...] (sparse, integer) or [..., C]
// (dense, float). Outputs: loss [...] and backprop [..., C].
func xentInfer(sparse bool) func(a tf.Attrs, in []tf.Spec) ([]tf.Spec, error) {
	return func(a tf.Attrs, in []tf.Spec) ([]tf.Spec, error) {
		logits, labels := in[0], in[1]
		if !logits.DType.IsFloating() {
			return nil, errors.Errorf("logits have dtype %s, want float32 or float64", logits.DType)
		}
		if sparse && !labels.DType.IsInteger() {
			return nil, errors.Errorf("labels have dtype %s, want int32 or int64 (class indices)", labels.DType)
		}
		if !sparse && labels.DType != logits.DType {
			return nil, errors.Errorf("labels have dtype %s, logits %s; they must agree", labels.DType, logits.DType)
		}
		if logits.Shape == nil {
			return []tf.Spec{{DType: logits.DType}, {DType: logits.DType}}, nil
		}
		if len(logits.Shape) == 0 {
			return nil, errors.New("logits must have rank at least 1 (classes last), got a scalar")
		}
		lossShape := logits.Shape[:len(logits.Shape)-1].Clone()
		if labels.Shape != nil {
			want := lossShape
			if !sparse {
				want = logits.Shape
			}
			if len(labels.Shape) != len(want) || !labels.Shape.IsCompatibleWith(want) {
				if sparse {
					return nil, errors.Errorf("labels of shape %v do not fit logits of shape %v: labels must have the shape of logits without its last (classes) dimension, %v", labels.Shape, logits.Shape, want)
				}
				return nil, errors.Errorf("labels of shape %v and logits of shape %v must have the same shape", labels.Shape, logits.Shape)
			}
		}
		return []tf.Spec{{DType: logits.DType, Shape: lossShape}, {DType: logits.DType, Shape: logits.Shape.Clone()}}, nil
	}
}

// rowsAndClasses returns the rows and classes of logits of the given shape
// [..., classes].
func rowsAndClasses(shape []int) (rows, classes int) {
	rows = 1
	for _, d := range shape[:len(shape)-1] {
		rows *= d
	}
	return rows, shape[len(shape)-1]
}

// runXent computes the two cross-entropy kernels' outputs, the loss per row
// and the backprop, from logits of rows·classes elements with xentRows.
func runXent(c *tf.KernelContext, logits *tensor.Dense, rows, classes int, label func(r, k int) float64) {
	loss, bp := c.AllocUninit(0), c.AllocUninit(1) // xentRows writes every element
	switch z := tfimpl.Backing(logits).(type) {
	case []float32:
		xentRows(z, tfimpl.Backing(loss).([]float32), tfimpl.Backing(bp).([]float32), rows, classes, label)
	case []float64:
		xentRows(z, tfimpl.Backing(loss).([]float64), tfimpl.Backing(bp).([]float64), rows, classes, label)
	}
}

// xentRows computes, per row of C logits, loss = logsumexp(z) - sum(p*z)
// and backprop = softmax(z) - p, where p is the label distribution given by
// label(row, k).
func xentRows[T float](z, loss, bp []T, rows, classes int, label func(r, k int) float64) {
	for r := 0; r < rows; r++ {
		zr := z[r*classes : (r+1)*classes]
		br := bp[r*classes : (r+1)*classes]
		m := math.Inf(-1)
		for _, v := range zr {
			m = math.Max(m, float64(v))
		}
		s := 0.0
		for _, v := range zr {
			s += math.Exp(float64(v) - m)
		}
		ls := math.Log(s)
		l := 0.0
		for k, v := range zr {
			logp := float64(v) - m - ls
			p := label(r, k)
			if p != 0 {
				l -= p * logp
			}
			br[k] = T(math.Exp(logp) - p)
		}
		loss[r] = T(l)
	}
}

func intLabels(x any) []int64 {
	switch l := x.(type) {
	case []int32:
		out := make([]int64, len(l))
		for i, v := range l {
			out[i] = int64(v)
		}
		return out
	case []int64:
		return l
	}
	return nil
}

var sparseXentDef = &tf.OpDef{
	Type:  "SparseSoftmaxCrossEntropyWithLogits",
	Infer: xentInfer(true),
	Kernel: func(c *tf.KernelContext) error {
		logits := c.In[0]
		shape := []int(logits.Shape())
		rows, classes := rowsAndClasses(shape)
		labels := intLabels(tfimpl.Backing(c.In[1]))
		if len(labels) != rows {
			return errors.Errorf("labels have %d elements, logits have %d rows", len(labels), rows)
		}
		for _, l := range labels {
			if l < 0 || l >= int64(classes) {
				return errors.Errorf("Received a label value of %d which is outside the valid range of [0, %d).  Label values: %s", l, classes, labelList(labels))
			}
		}
		label := func(r, k int) float64 {
			if int64(k) == labels[r] {
				return 1
			}
			return 0
		}
		runXent(c, logits, rows, classes, label)
		return nil
	},
}

// labelList prints labels as TF's error does, at most 100 of them.
func labelList(l []int64) string {
	s := ""
	for i, v := range l {
		if i == 100 {
			return s + " ..."
		}
		if i > 0 {
			s += " "
		}
		s += fmt.Sprint(v)
	}
	return s
}

var xentDef = &tf.OpDef{
	Type:  "SoftmaxCrossEntropyWithLogits",
	Infer: xentInfer(false),
	Kernel: func(c *tf.KernelContext) error {
		logits := c.In[0]
		shape := []int(logits.Shape())
		if !tf.Shape(c.In[1].Shape()).Equal(tf.Shape(shape)) {
			return errors.Errorf("labels of shape %v and logits of shape %v must have the same shape", tf.Shape(c.In[1].Shape()), tf.Shape(shape))
		}
		rows, classes := rowsAndClasses(shape)
		p := tfimpl.Float64s(c.In[1])
		label := func(r, k int) float64 { return p[r*classes+k] }
		runXent(c, logits, rows, classes, label)
		return nil
	},
}

// scaleRowsDef computes dy[..., None] * m for dy [...] and m [..., C]: the
// chain rule through a per-row loss.
var scaleRowsDef = &tf.OpDef{
	Type: "ScaleRows",
	Infer: func(a tf.Attrs, in []tf.Spec) ([]tf.Spec, error) {
		return []tf.Spec{in[1]}, nil
	},
	Kernel: func(c *tf.KernelContext) error {
		dy, m := c.In[0], c.In[1]
		rows := len(tfimpl.Float64s(dy))
		out := c.AllocUninit(0) // scaleRows writes every element
		n := 1
		for _, d := range m.Shape() {
			n *= d
		}
		if rows == 0 {
			out.Zero()
			return nil
		}
		if n%rows != 0 {
			return errors.Errorf("cannot scale %v by %v row by row", m.Shape(), dy.Shape())
		}
		cols := n / rows
		switch o := tfimpl.Backing(out).(type) {
		case []float32:
			scaleRows(tfimpl.Backing(dy).([]float32), tfimpl.Backing(m).([]float32), o, cols)
		case []float64:
			scaleRows(tfimpl.Backing(dy).([]float64), tfimpl.Backing(m).([]float64), o, cols)
		}
		return nil
	},
}

func scaleRows[T float](dy, m, out []T, cols int) {
	for r, s := range dy {
		for k := r * cols; k < (r+1)*cols; k++ {
			out[k] = s * m[k]
		}
	}
}

func scaleRowsOf(dy, m *tf.Tensor) *tf.Tensor {
	return tf.AddOp(tf.OpSpec{Def: scaleRowsDef, Inputs: []any{dy, m}}).Output(0)
}

// SparseSoftmaxCrossEntropyWithLogits returns, for each row of logits, the
// cross entropy between softmax(logits) and the class its label names
// (tf.nn.sparse_softmax_cross_entropy_with_logits(labels=..., logits=...)):
// -log softmax(logits)[label], computed stably as log-sum-exp. logits is
// [..., classes] (float32 or float64); labels is int32 or int64 with
// logits' shape minus the last dimension; the result has labels' shape. A
// label outside [0, classes) is an error at Run time naming it.
//
// Options: tf.Name.
func SparseSoftmaxCrossEntropyWithLogits(labels, logits any, opts ...tf.Option) *tf.Tensor {
	a, err := tfimpl.ParseArgs("nn.SparseSoftmaxCrossEntropyWithLogits", opts, "name")
	if err != nil {
		return tfimpl.ErrTensor(err)
	}
	name := a.Name()
	if name == "" {
		name = "SparseSoftmaxCrossEntropyWithLogits"
	}
	// logits first, so that Go-value labels are not converted to a float type.
	return tf.AddOp(tf.OpSpec{Def: sparseXentDef, Name: name, Inputs: []any{logits, labelsTensor(labels)}}).Output(0)
}

// labelsTensor converts Go-value labels to int32 (a []int or []int64 keeps
// its own integer type through ConvertToTensor).
func labelsTensor(labels any) any {
	switch labels.(type) {
	case *tf.Tensor, *tf.Variable:
		return labels
	}
	d, err := tfimpl.ConvertToTensor(labels, tf.Invalid)
	if err != nil {
		return tfimpl.ErrTensor(err)
	}
	return tf.Constant(d, tf.Invalid)
}

// SoftmaxCrossEntropyWithLogits returns, for each row, the cross entropy
// -sum(labels * log softmax(logits)) (tf.nn.softmax_cross_entropy_with_logits).
// labels and logits have the same shape [..., classes]; each row of labels
// is a probability distribution. As in TF 1.x's (non-v2) function, no
// gradient flows into labels; SoftmaxCrossEntropyWithLogitsV2 lets it.
//
// Options: tf.Name.
func SoftmaxCrossEntropyWithLogits(labels, logits any, opts ...tf.Option) *tf.Tensor {
	return denseXent("nn.SoftmaxCrossEntropyWithLogits", labels, logits, false, opts)
}

// SoftmaxCrossEntropyWithLogitsV2 is SoftmaxCrossEntropyWithLogits with
// gradients flowing into labels too (tf.nn.softmax_cross_entropy_with_logits_v2).
//
// Options: tf.Name.
func SoftmaxCrossEntropyWithLogitsV2(labels, logits any, opts ...tf.Option) *tf.Tensor {
	return denseXent("nn.SoftmaxCrossEntropyWithLogitsV2", labels, logits, true, opts)
}

func denseXent(fn string, labels, logits any, v2 bool, opts []tf.Option) *tf.Tensor {
	a, err := tfimpl.ParseArgs(fn, opts, "name")
	if err != nil {
		return tfimpl.ErrTensor(err)
	}
	name := a.Name()
	if name == "" {
		name = "SoftmaxCrossEntropyWithLogits"
	}
	return tf.AddOp(tf.OpSpec{Def: xentDef, Name: name, Inputs: []any{logits, labels}, Attrs: tf.Attrs{"v2": v2}}).Output(0)
}

func init() {
	softmaxOpDef.Grad = func(op *tf.Operation, dy []*tf.Tensor) []*tf.Tensor {
		// dx = (dy - sum(dy*y, axis)) * y
		y, axis := op.Outputs()[0], op.Attrs().Int("axis", -1)
		s := tf.ReduceSum(tf.Mul(dy[0], y), tf.Axis(axis), tf.KeepDims(true))
		return []*tf.Tensor{tf.Mul(tf.Sub(dy[0], s), y)}
	}
	logSoftmaxOpDef.Grad = func(op *tf.Operation, dy []*tf.Tensor) []*tf.Tensor {
		// dx = dy - exp(y) * sum(dy, axis)
		y, axis := op.Outputs()[0], op.Attrs().Int("axis", -1)
		s := tf.ReduceSum(dy[0], tf.Axis(axis), tf.KeepDims(true))
		return []*tf.Tensor{tf.Sub(dy[0], tf.Mul(tf.Exp(y), s))}
	}
	sparseXentDef.Grad = func(op *tf.Operation, dy []*tf.Tensor) []*tf.Tensor {
		// The gradient through the loss is dy * (softmax - onehot); the
		// backprop output itself is not differentiated (first order only).
		if dy[0] == nil {
			return []*tf.Tensor{nil, nil}
		}
		return []*tf.Tensor{scaleRowsOf(dy[0], op.Outputs()[1]), nil}
	}
	xentDef.Grad = func(op *tf.Operation, dy []*tf.Tensor) []*tf.Tensor {
		if dy[0] == nil {
			return []*tf.Tensor{nil, nil}
		}
		dLogits := scaleRowsOf(dy[0], op.Outputs()[1])
		if !op.Attrs().Bool("v2") {
			return []*tf.Tensor{dLogits, nil}
		}
		dLabels := scaleRowsOf(tf.Neg(dy[0]), LogSoftmax(op.Inputs()[0]))
		return []*tf.Tensor{dLogits, dLabels}
	}
	scaleRowsDef.Grad = func(op *tf.Operation, dy []*tf.Tensor) []*tf.Tensor {
		// out = d[r] * m[r,k]: d(d) = sum_k g*m, d(m) = d[r]*g
		d, m := op.Inputs()[0], op.Inputs()[1]
		dd := tf.ReduceSum(tf.Mul(dy[0], m), tf.Axis(-1))
		return []*tf.Tensor{dd, scaleRowsOf(d, dy[0])}
	}
}
