package tf

import "github.com/pkg/errors"

// Hoisted is a product of a loop body's argument by a block of rows of a
// captured matrix (a loop invariant, such as a cell's kernel), which the
// loop running the body computes for all its steps in one product before
// it runs them (as cuDNN and the fused loops compute every step's input
// projection at once), feeding each step its rows as the argument Arg.
type Hoisted struct {
	Arg       *Tensor // the body argument standing for the step's product, [batch, units]
	X         int     // the index in Args of the argument multiplied
	W         int     // the index in Params (and Captured) of the matrix
	Row, Rows int     // the block of the matrix's rows multiplied
}

// Deferred is a block of rows of a captured matrix's gradient that a loop
// computes after its reverse pass, as one product over all its steps,
// instead of in each step's gradient: the rows [Row, Row+Rows) of
// Params[W], which a step multiplies by its argument Args[A] in a product
// whose output gradient is the gradient of Hoisted[Of].Arg. The block is
// the sum over the steps of A_tᵀ·dHoisted_t, the step gradient leaves it
// out (zero).
type Deferred struct {
	A         int // the index in Args of the argument multiplied
	W         int // the index in Params of the matrix
	Row, Rows int // the block of the matrix's rows
	Of        int // the index in Hoisted of the product's other part
}

// HoistProducts rewrites f's body so that the products of argument Args[x]
// (the step's input of a recurrent loop) by a captured matrix are inputs of
// the body instead (Hoisted): a MatMul(x_t, W) becomes the argument, a
// ConcatMatMul of [x_t, h, ...] by W (a cell's concat([x, h])·W, see
// fuseConcatMatMul) the product of the other parts added to it. The
// captured matrix's gradient rows for the other parts that are arguments
// themselves (the state) are left to the loop (Deferred). Ops keep their
// names and output tensors, and are exported as they were built. It must
// be called before Gradient, and before the body runs.
func (f *Func) HoistProducts(x int) error {
	if x < 0 || x >= len(f.Args) {
		return errors.Errorf("argument %d of a body with %d", x, len(f.Args))
	}
	if len(f.Hoisted) > 0 {
		return errors.New("the body's products are hoisted already")
	}
	body := f.Graph
	xt := f.Args[x]
	param := map[*Tensor]int{}
	for j, p := range f.params {
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
		a := body.addOp(OpSpec{Def: argDef, Name: "hoisted", Attrs: Attrs{"dtype": out.spec.DType, "shape": out.spec.Shape.Clone(), "index": -1 - len(f.params) - len(f.Hoisted)}}, "")
		if a.err != nil {
			return a.err
		}
		pre, h := a.outputs[0], len(f.Hoisted)
		f.Hoisted = append(f.Hoisted, Hoisted{Arg: pre, X: x, W: j, Row: rows[hx], Rows: parts[hx].spec.Shape[1]})
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
				f.Deferred = append(f.Deferred, Deferred{A: ai, W: j, Row: rows[i], Rows: p.spec.Shape[1], Of: h})
			}
		}
		in = append(in, w, pre)
		rewrite(op, concatMatMulDef, in, Attrs{"rows": keep, "pre": true, "defer_dw": deferred})
	}
	return body.Err()
}
