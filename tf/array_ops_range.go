package tf

import (
	"math"

	"github.com/pkg/errors"

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

var rangeDef = &OpDef{
	Type: "Range",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		dt := a["dtype"].(DType)
		n, err := rangeSize(a.Float("start", 0), a.Float("limit", 0), a.Float("delta", 1), dt)
		if err != nil {
			return nil, err
		}
		return []Spec{{DType: dt, Shape: Shape{n}}}, nil
	},
	Kernel: func(c *KernelContext) error {
		kernels.Range(backing(c.AllocUninit(0)), c.Op.attrs.Float("start", 0), c.Op.attrs.Float("delta", 1)) // every element written
		return nil
	},
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
// tf.range(2, 10, 3) is tf.Range(2, tf.Limit(10), tf.Delta(3)). Each
// argument is a Go number or a scalar tf.Constant: gorgoflow decides shapes
// before a run, so the length must be known when the graph is built.
//
// Without WithDType the result takes the highest dtype of the arguments in
// TF's order int32 < int64 < float32 < float64 (Go ints are int32, Go
// floats float32, as Python numbers in TF); with it the arguments are
// converted to it (a fractional value to an integer type is an error, as
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
	site := callerSite()
	fail := func(err error) *Tensor { return errorTensor(errors.Wrapf(err, "tf.Range at %s", site)) }
	limit, delta := o.arr.limit, o.arr.delta
	if !o.given["limit"] {
		start, limit = 0, start
	}
	if delta == nil {
		delta = 1
	}
	if o.given["dtype"] && rangeRank(o.dtype) < 0 {
		return fail(errors.Errorf("dtype %s; want int32, int64, float32 or float64", o.dtype))
	}
	var vals [3]float64
	dt := o.dtype
	for i, v := range []any{start, limit, delta} {
		what := [...]string{"start", "limit", "delta"}[i]
		d, err := constValue(v, o.dtype, what)
		if err != nil {
			return fail(err)
		}
		vdt := DTypeOf(d.Dtype())
		if rangeRank(vdt) < 0 {
			return fail(errors.Errorf("%s has dtype %s; want int32, int64, float32 or float64", what, vdt))
		}
		if len(d.Shape()) != 0 {
			return fail(errors.Errorf("%s has shape %v; want a scalar", what, Shape(d.Shape())))
		}
		vals[i] = float64s(d)[0]
		if !o.given["dtype"] && rangeRank(vdt) > rangeRank(dt) {
			dt = vdt
		}
	}
	for i, v := range vals {
		// The arguments in the result's dtype, as TF casts them.
		switch dt {
		case Float32:
			vals[i] = float64(float32(v))
		case Int32:
			vals[i] = float64(int32(math.Trunc(v)))
		case Int64:
			vals[i] = float64(int64(math.Trunc(v)))
		}
	}
	if _, err := rangeSize(vals[0], vals[1], vals[2], dt); err != nil {
		return fail(err)
	}
	name := o.name
	if name == "" {
		name = "range"
	}
	return AddOp(OpSpec{Def: rangeDef, Name: name, Attrs: Attrs{"start": vals[0], "limit": vals[1], "delta": vals[2], "dtype": dt}}).Output(0)
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
