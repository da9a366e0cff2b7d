package tf

import (
	"sort"

	"github.com/pkg/errors"
)

// Gradients returns the symbolic gradients of the sum of ys with respect to
// each of xs (tf.gradients(ys, xs)): one tensor per x, nil where x does not
// affect ys. As in TF, ys is one tensor or a list of them ([]*tf.Tensor or
// []any), and xs is one tensor or variable or a list of them ([]*tf.Tensor,
// []*tf.Variable such as tf.TrainableVariables(), or []any mixing both).
// gradYs, when given, holds one tensor per y weighting it (default ones).
// The gradient ops are added to the graph; they are built from each op's
// OpDef.Grad. The error names the first problem and the caller's file:line.
//
// Gradients may be sparse, as in TF: the gradient of Gather along axis 0
// (and of nn.EmbeddingLookup) is an IndexedSlices. Sparse gradients of one
// tensor are summed by concatenating their slices; a sum with a dense
// gradient, and any op that reads a sparse gradient as a tensor, makes it
// dense. IndexedSlicesOf tells whether a returned gradient is sparse.
func Gradients(ys, xs any, gradYs ...*Tensor) ([]*Tensor, error) {
	site := callerSite()
	var g0 *Graph
	fail := func(err error) ([]*Tensor, error) {
		err = errors.Wrapf(err, "tf.Gradients at %s", site)
		if g0 != nil {
			g0.setErr(err)
		}
		return nil, err
	}
	yl, err := gradientArgs("ys", ys)
	if err != nil {
		return fail(err)
	}
	ysT := make([]*Tensor, len(yl))
	for i, y := range yl {
		switch v := y.(type) {
		case *Tensor:
			ysT[i] = v
		case nil:
		default:
			return fail(errors.Errorf("ys[%d] is a %T; want *tf.Tensor", i, y))
		}
	}
	if len(ysT) > 0 && ysT[0] != nil {
		g0 = ysT[0].g
	}
	xl, err := gradientArgs("xs", xs)
	if err != nil {
		return fail(err)
	}
	return gradients(ysT, xl, gradYs, fail)
}

// gradientArgs turns Gradients' ys or xs into a list: one tensor or
// variable, or a list of them.
func gradientArgs(name string, v any) ([]any, error) {
	switch x := v.(type) {
	case *Tensor, *Variable:
		return []any{x}, nil
	case []any:
		return x, nil
	case []*Tensor:
		out := make([]any, len(x))
		for i, t := range x {
			if t != nil {
				out[i] = t
			}
		}
		return out, nil
	case []*Variable:
		out := make([]any, len(x))
		for i, t := range x {
			if t != nil {
				out[i] = t
			}
		}
		return out, nil
	case nil:
		return nil, errors.Errorf("%s is nil; want a tensor or a list of them", name)
	}
	return nil, errors.Errorf("%s is a %T; want a *tf.Tensor, *tf.Variable, []*tf.Tensor, []*tf.Variable or []any", name, v)
}

func gradients(ys []*Tensor, xs []any, gradYs []*Tensor, fail func(error) ([]*Tensor, error)) ([]*Tensor, error) {
	if len(ys) == 0 {
		return fail(errors.New("no ys given"))
	}
	if len(gradYs) != 0 && len(gradYs) != len(ys) {
		return fail(errors.Errorf("%d gradYs for %d ys", len(gradYs), len(ys)))
	}
	for i, y := range ys {
		if y == nil {
			return fail(errors.Errorf("ys[%d] is nil", i))
		}
		if y.err != nil {
			return nil, y.err
		}
		if y.g != ys[0].g {
			return fail(errors.Errorf("ys[%d] %q is from another graph than ys[0]", i, y.Name()))
		}
	}
	xts := make([]*Tensor, len(xs))
	for i, x := range xs {
		switch v := x.(type) {
		case *Tensor:
			if v == nil {
				return fail(errors.Errorf("xs[%d] is nil", i))
			}
			xts[i] = v
		case *Variable:
			if v == nil {
				return fail(errors.Errorf("xs[%d] is nil", i))
			}
			if v.err != nil {
				return nil, v.err
			}
			xts[i] = v.value
		case nil:
			return fail(errors.Errorf("xs[%d] is nil", i))
		default:
			return fail(errors.Errorf("xs[%d] is a %T, want *tf.Tensor or *tf.Variable", i, x))
		}
		if xts[i].err != nil {
			return nil, xts[i].err
		}
		if xts[i].g != ys[0].g {
			return fail(errors.Errorf("xs[%d] %q is from another graph than ys", i, xts[i].Name()))
		}
	}
	g := ys[0].g
	// Ops between xs and ys: reachable backward from ys and forward from xs.
	back := map[*Operation]bool{}
	var stack []*Operation
	for _, y := range ys {
		stack = append(stack, y.op)
	}
	for len(stack) > 0 {
		op := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if back[op] {
			continue
		}
		back[op] = true
		for _, in := range op.inputs {
			stack = append(stack, in.op)
		}
	}
	isX := map[*Tensor]bool{}
	for _, x := range xts {
		isX[x] = true
	}
	// Forward: an op is "between" when one of its inputs depends on an x.
	ops := make([]*Operation, 0, len(back))
	for op := range back {
		ops = append(ops, op)
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].id < ops[j].id })
	dep := map[*Tensor]bool{}
	for x := range isX {
		dep[x] = true
	}
	between := map[*Operation]bool{}
	for _, op := range ops {
		for _, in := range op.inputs {
			if dep[in] && in.spec.DType.IsFloating() {
				between[op] = true
			}
		}
		if between[op] {
			for _, o := range op.outputs {
				dep[o] = true
			}
		}
	}
	// Accumulate gradients in reverse creation order.
	grads := map[*Tensor][]*Tensor{}
	for i, y := range ys {
		var gy *Tensor
		if len(gradYs) > 0 && gradYs[i] != nil {
			gy = gradYs[i]
		} else {
			gy = OnesLike(y)
		}
		grads[y] = append(grads[y], gy)
	}
	sum := func(t *Tensor) *Tensor {
		gs := grads[t]
		switch len(gs) {
		case 0:
			return nil
		case 1:
			return gs[0]
		}
		if s := aggregateSparse(gs); s != nil {
			grads[t] = []*Tensor{s}
			return s
		}
		in := make([]any, len(gs))
		for i, x := range gs {
			in[i] = x
		}
		s := AddN(in...)
		grads[t] = []*Tensor{s}
		return s
	}
	for k := len(ops) - 1; k >= 0; k-- {
		op := ops[k]
		if !between[op] {
			continue
		}
		dys := make([]*Tensor, len(op.outputs))
		any := false
		for i, o := range op.outputs {
			dys[i] = sum(o)
			if dys[i] != nil {
				any = true
			}
		}
		if !any {
			continue
		}
		if op.def.Grad == nil {
			return fail(errors.Errorf("no gradient defined for operation %q (op type: %s, built at %s)", op.name, op.def.Type, op.site))
		}
		for i, o := range op.outputs {
			if dys[i] == nil && o.spec.DType.IsFloating() && !op.def.GradTakesNil {
				dys[i] = ZerosLike(o)
			}
		}
		dxs := op.def.Grad(op, dys)
		if len(dxs) != len(op.inputs) {
			return fail(errors.Errorf("gradient of %s %q returned %d tensors for %d inputs", op.def.Type, op.name, len(dxs), len(op.inputs)))
		}
		for i, dx := range dxs {
			in := op.inputs[i]
			if dx == nil || !dep[in] || !in.spec.DType.IsFloating() {
				continue
			}
			if dx.err != nil {
				return nil, dx.err
			}
			grads[in] = append(grads[in], dx)
		}
	}
	out := make([]*Tensor, len(xts))
	for i, x := range xts {
		out[i] = sum(x)
	}
	if err := g.Err(); err != nil {
		for _, o := range out {
			if o != nil && o.err != nil {
				return nil, o.err
			}
		}
	}
	return out, nil
}
