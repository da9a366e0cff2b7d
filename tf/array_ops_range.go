package tf

import (
	"math"

	"github.com/pkg/errors"
	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/internal/kernels"
)

// ---- Range ----

// rangeSize returns the length of Range's result, computed in dtype as
// TF's kernel does, and checks delta and the direction as TF's kernel.
func rangeSize(start, limit, delta float64, dt DType) (int, error) {
	if delta == 0 {
		return 0, errors.Errorf("Requires delta != 0: %v", delta)
	}
	if delta > 0 && start > limit {
		return 0, errors.Errorf("Requires start <= limit when delta > 0: %v/%v", start, limit)
	}
	if delta < 0 && start < limit {
		return 0, errors.Errorf("Requires start >= limit when delta < 0: %v/%v", start, limit)
	}
	switch dt {
	case Float32:
		return kernels.RangeSize(float32(start), float32(limit), float32(delta)), nil
	case Int32:
		return kernels.RangeSize(int32(start), int32(limit), int32(delta)), nil
	case Int64:
		return kernels.RangeSize(int64(start), int64(limit), int64(delta)), nil
	}
	return kernels.RangeSize(start, limit, delta), nil
}

// inDType rounds v to dtype dt's precision, as TF casts Range's
// arguments to the result's dtype.
func inDType(v float64, dt DType) float64 {
	switch dt {
	case Float32:
		return float64(float32(v))
	case Int32:
		return float64(int32(math.Trunc(v)))
	case Int64:
		return float64(int64(math.Trunc(v)))
	}
	return v
}

// rangeArgs returns Range's start, limit and delta: its attrs, or the
// values of its folded tensor arguments (ok false while unknown).
func rangeArgs(a Attrs, vals []*tensor.Dense) (v [3]float64, ok bool) {
	dt := a["dtype"].(DType)
	if vals == nil {
		return [3]float64{a.Float("start", 0), a.Float("limit", 0), a.Float("delta", 1)}, true
	}
	for i, d := range vals {
		if d == nil {
			return v, false
		}
		v[i] = inDType(float64s(d)[0], dt)
	}
	return v, true
}

var rangeDef = &OpDef{
	Type: "Range",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		dt := a["dtype"].(DType)
		var vals []*tensor.Dense
		if fa, ok := a["fold"].(*foldArgs); ok {
			for i, what := range []string{"start", "limit", "delta"} {
				if s := in[fa.first+i]; s.Shape != nil && len(s.Shape) != 0 && !(len(s.Shape) == 1 && s.Shape[0] == 1) {
					return nil, errors.Errorf("%s must be a scalar, not shape %v", what, s.Shape)
				}
			}
			vs, kn, known, err := fa.values(in)
			if err != nil {
				return nil, err
			}
			for _, k := range kn {
				for _, e := range k {
					known = known && e
				}
			}
			if !known {
				return []Spec{{DType: dt, Shape: Shape{None}}}, nil
			}
			vals = vs
		}
		v, _ := rangeArgs(a, vals)
		n, err := rangeSize(v[0], v[1], v[2], dt)
		if err != nil {
			return nil, err
		}
		return []Spec{{DType: dt, Shape: Shape{n}}}, nil
	},
	Kernel: func(c *KernelContext) error {
		var vals []*tensor.Dense
		if fa, ok := c.Op.attrs["fold"].(*foldArgs); ok {
			vals = c.In[fa.first : fa.first+3]
		}
		v, _ := rangeArgs(c.Op.attrs, vals)
		kernels.Range(backing(c.AllocUninit(0)), v[0], v[2]) // every element written
		return nil
	},
	// TF registers Range as not differentiable.
	Grad:         func(op *Operation, dy []*Tensor) []*Tensor { return make([]*Tensor, len(op.inputs)) },
	GradTakesNil: true,
}

// rangeDTypes is TF's tf.range dtype hierarchy: without a dtype, the
// result takes the highest of its arguments' dtypes.
var rangeDTypes = []DType{Int32, Int64, Float32, Float64}

func rangeRank(d DType) int {
	for i, x := range rangeDTypes {
		if x == d {
			return i
		}
	}
	return -1
}

// Range returns the sequence start, start+delta, ... up to limit, not
// included (tf.range(start, limit, delta, dtype)). As in Python, a single
// argument is the limit, the start being 0: tf.range(n) is tf.Range(n),
// tf.range(2, 10, 3) is tf.Range(2, tf.Limit(10), tf.Delta(3)). start and
// limit are Go numbers or scalar tensors whose values follow from
// constants and tensor shapes, as tf.range(tf.shape(x)[0]) is
// tf.Range(tf.Index(tf.ShapeOf(x), "0")): gorgoflow decides shapes before a
// run (the length is unknown while building when the shape is).
//
// Delta is a float64 (tf.Delta, TF's delta=, also the Huber loss's);
// an integral Delta counts as an int. Without WithDType the result takes
// the highest dtype of the arguments in TF's order int32 < int64 < float32
// < float64 (Go ints are int32, Go floats float32, as Python numbers in
// TF; tf.range(0, 1, 1.0) is float32 in Python, give WithDType(tf.Float32)
// for it here); with it the arguments are
// converted to it (a fractional Go value to an integer type is an error, as
// TF's). The length is ceil((limit-start)/delta), computed in the dtype as
// TF's kernel computes it; delta 0, or a limit behind start in delta's
// direction, is an error worded as TF's. Values accumulate delta in the
// dtype, as TF's kernel does. Not differentiable.
//
// Options: Limit, Delta, WithDType, Name.
func Range(start any, opts ...Option) *Tensor {
	o, err := parseOptions("tf.Range", opts, "limit", "delta", "dtype", "name")
	if err != nil {
		return errorTensor(err)
	}
	limit := o.arr.limit
	if !o.given["limit"] {
		start, limit = 0, start
	}
	// Delta (shared with the Huber loss's delta=) is a float64: an
	// integral one counts as a Go int, as tf.range(0, 10, 2)'s Python int.
	var delta any = 1
	if d, ok := o.extra["delta"].(float64); ok {
		delta = d
		if d == math.Trunc(d) && math.Abs(d) < 1<<31 {
			delta = int(d)
		}
	}
	dt := Invalid
	if o.given["dtype"] {
		dt = o.dtype
	}
	t, err := rangeOp(o.name, [3]any{start, limit, delta}, dt)
	if err != nil {
		return errorTensor(errors.Wrapf(err, "tf.Range at %s", callerSite()))
	}
	return t
}

// rangeOp builds Range of start, limit and delta (Go values or tensors)
// in dtype (Invalid: TF's inference).
func rangeOp(name string, args [3]any, dtype DType) (*Tensor, error) {
	if dtype != Invalid && rangeRank(dtype) < 0 {
		return nil, errors.Errorf("dtype %s; want int32, int64, float32 or float64", dtype)
	}
	what := [...]string{"start", "limit", "delta"}
	if name == "" {
		name = "range"
	}
	dynamic := false
	for _, v := range args {
		if t, ok := v.(*Tensor); ok && t != nil && t.err == nil && t.op.def != constDef {
			dynamic = true
		}
	}
	var vals [3]float64
	dt := dtype
	for i, v := range args {
		var vdt DType
		if t, ok := v.(*Tensor); ok && dynamic {
			if t == nil || t.err != nil {
				return nil, errors.Wrap(constValueErr(t), what[i])
			}
			vdt = t.spec.DType
		} else {
			d, err := constValue(v, dtype, what[i])
			if err != nil {
				return nil, err
			}
			vdt = DTypeOf(d.Dtype())
			if rangeRank(vdt) < 0 {
				return nil, errors.Errorf("%s has dtype %s; want int32, int64, float32 or float64", what[i], vdt)
			}
			if len(d.Shape()) != 0 {
				return nil, errors.Errorf("%s has shape %v; want a scalar", what[i], Shape(d.Shape()))
			}
			vals[i] = float64s(d)[0]
		}
		if rangeRank(vdt) < 0 {
			return nil, errors.Errorf("%s has dtype %s; want int32, int64, float32 or float64", what[i], vdt)
		}
		if dtype == Invalid && rangeRank(vdt) > rangeRank(dt) {
			dt = vdt
		}
	}
	if dynamic {
		g, err := pickGraph(OpSpec{Def: rangeDef, Inputs: args[:]})
		if err != nil {
			return nil, err
		}
		dts := []DType{dtype, dtype, dtype}
		in, fa, err := foldInputs(g, nil, args[:], dts, what[:])
		if err != nil {
			return nil, err
		}
		return AddOp(OpSpec{Def: rangeDef, Name: name, Inputs: in, Attrs: Attrs{"dtype": dt, "fold": fa}}).Output(0), nil
	}
	for i := range vals {
		vals[i] = inDType(vals[i], dt)
	}
	if _, err := rangeSize(vals[0], vals[1], vals[2], dt); err != nil {
		return nil, err
	}
	return AddOp(OpSpec{Def: rangeDef, Name: name, Attrs: Attrs{"start": vals[0], "limit": vals[1], "delta": vals[2], "dtype": dt}}).Output(0), nil
}

// constValueErr is the error of a nil or failed tensor argument.
func constValueErr(t *Tensor) error {
	if t == nil {
		return errors.New("a nil *tf.Tensor")
	}
	return t.err
}

// ---- LinSpace ----

var linSpaceDef = &OpDef{
	Type: "LinSpace",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		start, stop := in[0], in[1]
		if !start.DType.IsFloating() {
			return nil, errors.Errorf("start has dtype %s; want float32 or float64", start.DType)
		}
		if stop.DType != start.DType {
			return nil, errors.Errorf("stop has dtype %s but start has %s; want one dtype", stop.DType, start.DType)
		}
		for i, s := range []Spec{start, stop} {
			if s.Shape != nil && len(s.Shape) != 0 {
				return nil, errors.Errorf("%s must be a scalar, not shape %v", [...]string{"start", "stop"}[i], s.Shape)
			}
		}
		return []Spec{{DType: start.DType, Shape: Shape{a.Int("num", 0)}}}, nil
	},
	Kernel: func(c *KernelContext) error {
		kernels.LinSpace(backing(c.AllocUninit(0)), backing(c.In[0]), backing(c.In[1])) // every element written
		return nil
	},
	// TF 1.x registers LinSpace as not differentiable.
	Grad: func(op *Operation, dy []*Tensor) []*Tensor { return []*Tensor{nil, nil} },
}

// LinSpace returns num evenly spaced values from start to stop, both
// included (tf.lin_space and tf.linspace): start + i*(stop-start)/(num-1),
// the last exactly stop, as TF's kernel. start and stop are float32 or
// float64 scalars (tensors, or Go numbers: a Go number takes the other
// argument's dtype when that is a tensor, float32 otherwise). num must be
// positive (TF's "Requires num > 0"). As in TF 1.x, not differentiable.
//
// Options: Name.
func LinSpace(start, stop any, num int, opts ...Option) *Tensor {
	name, err := nameOnly("tf.LinSpace", opts)
	if err != nil {
		return errorTensor(err)
	}
	site := callerSite()
	fail := func(err error) *Tensor { return errorTensor(errors.Wrapf(err, "tf.LinSpace at %s", site)) }
	if num <= 0 {
		return fail(errors.Errorf("Requires num > 0: %d", num))
	}
	dt := Float32
	for _, v := range []any{start, stop} {
		if isTensorArg(v) {
			d, err := argDType(v)
			if err != nil {
				return fail(err)
			}
			dt = d
			break
		}
	}
	like := start
	if !isTensorArg(like) {
		like = stop
	}
	if !isTensorArg(start) {
		if start, err = scalarInput(start, dt, like, "start"); err != nil {
			return fail(err)
		}
	}
	if !isTensorArg(stop) {
		if stop, err = scalarInput(stop, dt, start, "stop"); err != nil {
			return fail(err)
		}
	}
	return AddOp(OpSpec{Def: linSpaceDef, Name: name, Inputs: []any{start, stop}, Attrs: Attrs{"num": num}}).Output(0)
}

// Linspace is LinSpace (tf.linspace, TF 1.x's other name for tf.lin_space).
func Linspace(start, stop any, num int, opts ...Option) *Tensor {
	return LinSpace(start, stop, num, opts...)
}

// ---- Eye ----

// Eye returns an identity matrix of numRows rows (tf.eye(num_rows,
// num_columns, batch_shape, dtype)): ones on the main diagonal, zeros
// elsewhere, numColumns columns (default numRows), of shape batch_shape +
// [num_rows, num_columns] with BatchShape. dtype defaults to float32. Its
// arguments are Go ints, so the matrix is a constant named "eye".
//
// Options: NumColumns, BatchShape, WithDType, Name.
func Eye(numRows int, opts ...Option) *Tensor {
	o, err := parseOptions("tf.Eye", opts, "num_columns", "batch_shape", "dtype", "name")
	if err != nil {
		return errorTensor(err)
	}
	site := callerSite()
	fail := func(err error) *Tensor { return errorTensor(errors.Wrapf(err, "tf.Eye at %s", site)) }
	cols := numRows
	if o.given["num_columns"] {
		cols = o.arr.numColumns
	}
	if numRows < 0 || cols < 0 {
		return fail(errors.Errorf("num_rows %d and num_columns %d must be non-negative", numRows, cols))
	}
	for _, d := range o.arr.batchShape {
		if d < 0 {
			return fail(errors.Errorf("batch_shape %v has a negative dimension", o.arr.batchShape))
		}
	}
	dt := Float32
	if o.given["dtype"] {
		dt = o.dtype
	}
	if dt == Invalid || dt == String {
		return fail(errors.Errorf("dtype %s; want a number type or bool", dt))
	}
	shape := append(append(Shape{}, o.arr.batchShape...), numRows, cols)
	d := newDense(Spec{DType: dt, Shape: shape})
	kernels.Eye(backing(d), kernels.Numel(o.arr.batchShape), numRows, cols)
	name := o.name
	if name == "" {
		name = "eye"
	}
	return AddOp(OpSpec{Def: constDef, Name: name, Attrs: Attrs{"value": d}}).Output(0)
}
