package train

import (
	"math"
	"runtime"
	"sync"

	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/kernels"
	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/tf"
)

// Sparse gradients (tf.IndexedSlices, the gradients of tf.Gather and
// nn.EmbeddingLookup) are applied as TF 1.x's optimizers apply them:
// Optimizer.apply_gradients sums the values of repeated indices first
// (_deduplicate_indexed_slices) and then runs the optimizer's sparse
// kernel, which for GradientDescent, Momentum, RMSProp and Adagrad updates
// only the rows the gradient touches (scatter_sub, SparseApplyMomentum,
// SparseApplyRMSProp, SparseApplyAdagrad), and for Adam decays m and v
// everywhere, adds the gradient's part to the touched rows and updates the
// whole variable (AdamOptimizer._apply_sparse). GradientDescent does not
// deduplicate: scatter_sub subtracts each occurrence.

// sparseRule updates the variable and slots vals (row-major, rows of inner
// elements) with the gradient rows g[i*inner:(i+1)*inner] for the rows
// rows[i] (distinct unless the optimizer does not deduplicate).
type sparseRule[T float] func(vals [][]T, rows []int, g []T, inner int, h []float64, scratch *sparseScratch)

// sparseScratch keeps an apply op's buffers between steps.
type sparseScratch struct {
	mu  sync.Mutex
	pos []int32
}

// rowwise applies an elementwise rule to each touched row.
func rowwise[T float](f update[T]) sparseRule[T] {
	return func(vals [][]T, rows []int, g []T, inner int, h []float64, _ *sparseScratch) {
		rv := make([][]T, len(vals))
		for i, r := range rows {
			for k, v := range vals {
				rv[k] = v[r*inner : (r+1)*inner]
			}
			f(rv, g[i*inner:(i+1)*inner], h)
		}
	}
}

// adamSparse is TF 1.x's AdamOptimizer._apply_sparse on deduplicated rows:
//
//	m = beta1*m; m[rows] += (1-beta1)*g
//	v = beta2*v; v[rows] += (1-beta2)*g^2
//	var -= lr_t * m / (sqrt(v) + epsilon)
//
// in one pass over the rows.
func adamSparse[T float](vals [][]T, rows []int, g []T, inner int, h []float64, s *sparseScratch) {
	w, m, v := vals[0], vals[1], vals[2]
	lrT, b1, b2, eps := T(h[0]), T(h[1]), T(h[2]), T(h[3])
	nrows := len(w) / max(inner, 1)
	s.mu.Lock()
	defer s.mu.Unlock()
	if cap(s.pos) < nrows {
		s.pos = make([]int32, nrows)
	}
	pos := s.pos[:nrows]
	for i := range pos {
		pos[i] = -1
	}
	for i, r := range rows {
		pos[r] = int32(i)
	}
	rowsPass := func(from, to int) {
		for r := from; r < to; r++ {
			lo, hi := r*inner, (r+1)*inner
			wr, mr, vr := w[lo:hi], m[lo:hi], v[lo:hi]
			if p := pos[r]; p >= 0 {
				gr := g[int(p)*inner : (int(p)+1)*inner]
				for k := range wr {
					mr[k] = mr[k]*b1 + gr[k]*(1-b1)
					vr[k] = vr[k]*b2 + gr[k]*gr[k]*(1-b2)
					wr[k] -= lrT * mr[k] / (T(math.Sqrt(float64(vr[k]))) + eps)
				}
				continue
			}
			for k := range wr {
				mr[k] *= b1
				vr[k] *= b2
				wr[k] -= lrT * mr[k] / (T(math.Sqrt(float64(vr[k]))) + eps)
			}
		}
	}
	// Large variables: the rows in parts on the machine's cores (each
	// element computed alike, so the result does not depend on the split).
	parts := min(runtime.GOMAXPROCS(0), len(w)/(1<<16))
	if parts <= 1 {
		rowsPass(0, nrows)
		return
	}
	var wg sync.WaitGroup
	for p := 0; p < parts; p++ {
		wg.Add(1)
		go func(from, to int) {
			defer wg.Done()
			rowsPass(from, to)
		}(nrows*p/parts, nrows*(p+1)/parts)
	}
	wg.Wait()
}

// sparseApplyDef returns the op type applying a sparse gradient: inputs
// values and indices (of an IndexedSlices), the attributes of the dense
// apply op.
func sparseApplyDef(typ string, dedup bool, f32 sparseRule[float32], f64 sparseRule[float64], hyper hyperFunc) *tf.OpDef {
	return &tf.OpDef{
		Type:     typ,
		Infer:    sparseApplyInfer,
		Stateful: true,
		Kernel: func(c *tf.KernelContext) error {
			vars, h, err := applyArgs(c, hyper, 2)
			if err != nil {
				return err
			}
			switch vars[0].DType() {
			case tf.Float32:
				return applySparse(c, vars, dedup, f32, h)
			case tf.Float64:
				return applySparse(c, vars, dedup, f64, h)
			}
			return errors.Errorf("cannot train variable %q of dtype %s", vars[0].Name(), vars[0].DType())
		},
	}
}

// sparseApplyInfer checks the slices against the variable being updated.
func sparseApplyInfer(a tf.Attrs, in []tf.Spec) ([]tf.Spec, error) {
	v := a["variable"].(*tf.Variable)
	vals, ix := in[0], in[1]
	if vals.DType != v.DType() {
		return nil, errors.Errorf("gradient has dtype %s, variable %q has %s", vals.DType, v.Name(), v.DType())
	}
	if len(v.Shape()) == 0 {
		return nil, errors.Errorf("variable %q is a scalar; a sparse gradient needs rank 1 or more", v.Name())
	}
	if vals.Shape != nil && ix.Shape != nil && v.Shape() != nil {
		want := append(append(tf.Shape{}, ix.Shape...), v.Shape()[1:]...)
		if !vals.Shape.IsCompatibleWith(want) {
			return nil, errors.Errorf("sparse gradient values have shape %v; for indices %v and variable %q of shape %v they must have shape %v", vals.Shape, ix.Shape, v.Name(), v.Shape(), want)
		}
	}
	return nil, hyperInfer(a, in[2:])
}

func applySparse[T float](c *tf.KernelContext, vars []*tf.Variable, dedup bool, f sparseRule[T], h []float64) error {
	g, ok := tfimpl.Backing(c.In[0]).([]T)
	if !ok {
		return errors.New("gradient dtype differs from the variable's")
	}
	cur, err := tfimpl.Env(c).ReadVariable(vars[0])
	if err != nil {
		return err
	}
	shape := cur.Shape()
	nrows := shape[0]
	n := 1
	for _, d := range shape {
		n *= d
	}
	inner := 1
	for _, d := range shape[1:] {
		inner *= d
	}
	idx := kernels.Ints(tfimpl.Backing(c.In[1]))
	if len(idx)*inner != len(g) {
		return errors.Errorf("sparse gradient of %q: %d values for %d indices of rows of %d", vars[0].Name(), len(g), len(idx), inner)
	}
	for i, r := range idx {
		if r < -1 || r >= nrows {
			return errors.Errorf("sparse gradient of %q: indices[%d] = %d is not in [0, %d)", vars[0].Name(), i, r, nrows)
		}
	}
	rows, gs := idx, g
	if dedup {
		rows, gs = deduplicate(idx, g, inner)
	} else {
		rows, gs = dropSkipped(idx, g, inner)
	}
	s := &tfimpl.Env(c).OpState(c.Op, func() any { return new(applyState) }).(*applyState).scratch
	return applyT(c, vars, n, func(vals [][]T) { f(vals, rows, gs, inner, h, s) })
}

// deduplicate sums the gradient rows of repeated indices, keeping the
// indices in the order they first appear (tf.unique and
// unsorted_segment_sum, as _deduplicate_indexed_slices); index -1 is
// dropped.
func deduplicate[T float](idx []int, g []T, inner int) ([]int, []T) {
	at := make(map[int]int, len(idx))
	var rows []int
	out := make([]T, 0, len(g))
	for i, r := range idx {
		if r < 0 {
			continue
		}
		src := g[i*inner : (i+1)*inner]
		if p, ok := at[r]; ok {
			dst := out[p*inner : (p+1)*inner]
			for k := range dst {
				dst[k] += src[k]
			}
			continue
		}
		at[r] = len(rows)
		rows = append(rows, r)
		out = append(out, src...)
	}
	return rows, out
}

// dropSkipped removes the rows of index -1.
func dropSkipped[T float](idx []int, g []T, inner int) ([]int, []T) {
	for _, r := range idx {
		if r < 0 {
			rows, out := make([]int, 0, len(idx)), make([]T, 0, len(g))
			for i, r := range idx {
				if r >= 0 {
					rows = append(rows, r)
					out = append(out, g[i*inner:(i+1)*inner]...)
				}
			}
			return rows, out
		}
	}
	return idx, g
}
