package tf

import (
	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/funcgraph"
)

// hoistProducts rewrites f's body so that the products of argument Args[x]
// (the step's input of a recurrent loop) by a captured matrix are inputs of
// the body instead (Hoisted): a MatMul(x_t, W) becomes the argument, a
// ConcatMatMul of [x_t, h, ...] by W (a cell's concat([x, h])·W, see
// fuseConcatMatMul) the product of the other parts added to it. The
// captured matrix's gradient rows for the other parts that are arguments
// themselves (the state) are left to the loop (Deferred), as is the whole
// gradient of a matrix multiplied by the state in a MatMul(h, W) of its
// own (deferProduct). Ops keep their names and output tensors, and are
// exported as they were built. It must be called before funcGradient, and
// before the body runs.
func hoistProducts(f *funcBody, x int) error {
	if x < 0 || x >= len(f.Args) {
		return errors.Errorf("argument %d of a body with %d", x, len(f.Args))
	}
	if len(f.Hoisted) > 0 {
		return errors.New("the body's products are hoisted already")
	}
	body := f.Graph
	xt := f.Args[x]
	param := map[*Tensor]int{}
	for j, p := range f.Params {
		param[p] = j
	}
	arg := map[*Tensor]int{}
	for i, a := range f.Args {
		arg[a] = i
	}
	body.mu.Lock()
	ops := append([]*Operation(nil), body.ops...)
	body.mu.Unlock()
	for _, op := range ops {
		var parts []*Tensor
		var rows []int
		var w *Tensor
		switch {
		case op.def == concatMatMulDef && !op.attrs.Bool("pre") && op.attrs["rows"] == nil:
			n := len(op.inputs) - 1
			parts, w = op.inputs[:n], op.inputs[n]
			off := 0
			for _, p := range parts {
				rows = append(rows, off)
				off += p.spec.Shape[1]
			}
		case op.def == matMulDef && !op.attrs.Bool("transpose_a") && !op.attrs.Bool("transpose_b"):
			parts, w, rows = op.inputs[:1], op.inputs[1], []int{0}
		default:
			continue
		}
		j, ok := param[w]
		if !ok || len(w.spec.Shape) != 2 {
			continue
		}
		hx := -1
		for i, p := range parts {
			if p == xt {
				if hx >= 0 {
					hx = -1 // x twice: left as it is
					break
				}
				hx = i
			}
		}
		if hx < 0 {
			deferProduct(f, op, parts, w, arg, x, j)
			continue
		}
		if len(parts[hx].spec.Shape) != 2 || parts[hx].spec.Shape[1] < 0 {
			continue
		}
		out := op.outputs[0]
		a := body.addOp(OpSpec{Def: argDef, Name: "hoisted", Attrs: Attrs{"dtype": out.spec.DType, "shape": out.spec.Shape.Clone(), "index": -1 - len(f.Params) - len(f.Hoisted)}}, "")
		if a.err != nil {
			return a.err
		}
		pre, h := a.outputs[0], len(f.Hoisted)
		f.Hoisted = append(f.Hoisted, funcgraph.Hoisted[*Tensor]{Arg: pre, X: x, W: j, Row: rows[hx], Rows: parts[hx].spec.Shape[1]})
		if len(parts) == 1 {
			rewrite(op, identityDef, []*Tensor{pre}, Attrs{})
			continue
		}
		var in []*Tensor
		var keep []int
		var deferred []bool
		for i, p := range parts {
			if i == hx {
				continue
			}
			in, keep = append(in, p), append(keep, rows[i])
			ai, fromArg := arg[p]
			d := fromArg && ai != x
			deferred = append(deferred, d)
			if d {
				f.Deferred = append(f.Deferred, funcgraph.Deferred{A: ai, W: j, Row: rows[i], Rows: p.spec.Shape[1], Of: h})
			}
		}
		in = append(in, w, pre)
		rewrite(op, concatMatMulDef, in, Attrs{"rows": keep, "pre": true, "defer_dw": deferred})
	}
	return body.Err()
}

// deferProduct rewrites a MatMul(a, W) of f's body, a a state argument (not
// Args[x]) and W the captured matrix Params[j], so that the loop computes
// W's gradient after its reverse pass, as one product over all steps
// (Deferred), instead of a·dy in each step: the MatMul becomes a
// ConcatMatMul of [a] by W plus a zero argument (a Zero Hoisted entry),
// whose gradient is the product's output gradient, which the loop keeps
// per step. A user cell's MatMul(x, W_x) + MatMul(h, W_h) gets W_h's
// gradient so, as concat([x, h])·W gets its h rows'.
func deferProduct(f *funcBody, op *Operation, parts []*Tensor, w *Tensor, arg map[*Tensor]int, x, j int) {
	if op.def != matMulDef || len(parts) != 1 {
		return
	}
	a := parts[0]
	ai, ok := arg[a]
	if !ok || ai == x || len(a.spec.Shape) != 2 || a.spec.Shape[1] < 0 || a.spec.Shape[1] != w.spec.Shape[0] {
		return
	}
	out := op.outputs[0]
	z := f.Graph.addOp(OpSpec{Def: argDef, Name: "deferred", Attrs: Attrs{"dtype": out.spec.DType, "shape": out.spec.Shape.Clone(), "index": -1 - len(f.Params) - len(f.Hoisted)}}, "")
	if z.err != nil {
		return
	}
	h := len(f.Hoisted)
	f.Hoisted = append(f.Hoisted, funcgraph.Hoisted[*Tensor]{Arg: z.outputs[0], X: x, W: j, Zero: true})
	f.Deferred = append(f.Deferred, funcgraph.Deferred{A: ai, W: j, Row: 0, Rows: a.spec.Shape[1], Of: h})
	rewrite(op, concatMatMulDef, []*Tensor{a, w, z.outputs[0]}, Attrs{"rows": []int{0}, "pre": true, "pre_zero": true, "defer_dw": []bool{true}})
}
