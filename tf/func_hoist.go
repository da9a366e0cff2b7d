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
// themselves (the state) are left to the loop (Deferred). Ops keep their
// names and output tensors, and are exported as they were built. It must
// be called before funcGradient, and before the body runs.
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
		if hx < 0 || len(parts[hx].spec.Shape) != 2 || parts[hx].spec.Shape[1] < 0 {
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
