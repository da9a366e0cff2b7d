package nn_test

import (
	"math"
	"strings"
	"testing"

	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/tf/tftest"
)

// table returns a rows x cols float64 dense tensor with distinct values.
func table(rows, cols int, off float64) *tensor.Dense {
	v := make([]float64, rows*cols)
	for i := range v {
		v[i] = off + 0.1*float64(i) + 0.01*float64(i*i%7)
	}
	return tensor.New(tensor.WithShape(rows, cols), tensor.WithBacking(v))
}

func TestEmbeddingLookupSingle(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	p := tf.Placeholder(tf.Float64, tf.Shape{6, 3})
	pv := table(6, 3, 0)
	feed := session.Feed{p: pv}
	ids := tf.Constant([][]int32{{5, 0}, {2, 5}}, tf.Int32)
	y := nn.EmbeddingLookup(p, ids)
	if !y.Shape().Equal(tf.Shape{2, 2, 3}) {
		t.Fatalf("shape %v", y.Shape())
	}
	got := runAll(t, g, []*tf.Tensor{y}, feed)[0]
	pd := pv.Data().([]float64)
	var want []float64
	for _, id := range []int{5, 0, 2, 5} {
		want = append(want, pd[id*3:id*3+3]...)
	}
	if ok, d := tftest.AllClose(got, want, 0, 0); !ok {
		t.Errorf("values: %s", d)
	}
	z := tf.ReduceSum(tf.Mul(tf.Square(y), tf.Constant([]float64{1, -2, 3}, tf.Float64)))
	gr, err := tf.Gradients([]*tf.Tensor{z}, []any{p})
	if err != nil {
		t.Fatal(err)
	}
	if tf.IndexedSlicesOf(gr[0]) == nil {
		t.Errorf("gradient is dense")
	}
	tftest.CheckGradients(t, g, z, []*tf.Tensor{p}, feed, 1e-6, 1e-8)
}

// refShard is TF's partition of id among n shards of rows rows: (shard, row).
func refShard(strategy string, id int, rows []int) (int, int) {
	n, total := len(rows), 0
	for _, r := range rows {
		total += r
	}
	if strategy == "mod" {
		return id % n, id / n
	}
	per, extras := total/n, total%n
	// TF: p = max(id // (per+1), (id - extras) // per)
	p := max(id/(per+1), (id-extras)/per)
	if p < extras {
		return p, id % (per + 1)
	}
	return p, (id - extras) % per
}

func TestEmbeddingLookupSharded(t *testing.T) {
	for _, tc := range []struct {
		strategy string
		part     tf.Partition
		rows     []int
	}{
		{"mod", tf.PartitionMod, []int{4, 3, 3}}, // 10 ids
		{"div", tf.PartitionDiv, []int{4, 3, 3}},
		{"div", tf.PartitionDiv, []int{3, 3}},
	} {
		t.Run(tc.strategy, func(t *testing.T) {
			g := tf.NewGraph()
			defer g.AsDefault()()
			feed := session.Feed{}
			var shards []*tf.Tensor
			var vals [][]float64
			total := 0
			for i, r := range tc.rows {
				p := tf.Placeholder(tf.Float64, tf.Shape{r, 2})
				d := table(r, 2, float64(10*i))
				feed[p] = d
				shards = append(shards, p)
				vals = append(vals, d.Data().([]float64))
				total += r
			}
			var idv []int32
			for i := total - 1; i >= 0; i-- {
				idv = append(idv, int32(i))
			}
			idv = append(idv, 1, 1, int32(total-1))
			y := nn.EmbeddingLookup(shards, idv, tf.PartitionStrategy(tc.part))
			got := runAll(t, g, []*tf.Tensor{y}, feed)[0]
			var want []float64
			for _, id := range idv {
				s, r := refShard(tc.strategy, int(id), tc.rows)
				want = append(want, vals[s][r*2:r*2+2]...)
			}
			if ok, d := tftest.AllClose(got, want, 0, 0); !ok {
				t.Errorf("values: %s\n got  %v\n want %v", d, got, want)
			}
			z := tf.ReduceSum(tf.Mul(tf.Square(y), tf.Constant([]float64{1, -2}, tf.Float64)))
			gr, err := tf.Gradients([]*tf.Tensor{z}, []any{shards[0], shards[1]})
			if err != nil {
				t.Fatal(err)
			}
			for i, gg := range gr {
				if tf.IndexedSlicesOf(gg) == nil {
					t.Errorf("gradient of shard %d is dense", i)
				}
			}
			tftest.CheckGradients(t, g, z, shards, feed, 1e-5, 1e-6)
		})
	}
}

// TestEmbeddingLookupShardedSlices checks each shard's sparse gradient row
// by row against TF's: shard p's IndexedSlices hold dy's rows of the ids
// that live in p at their rows in p; the rows of other shards (index -1
// here, absent in TF) have zero values, so the global norm of the shards'
// gradients is that of dy, each row once. 2-D ids, both strategies.
func TestEmbeddingLookupShardedSlices(t *testing.T) {
	for _, tc := range []struct {
		strategy string
		part     tf.Partition
	}{{"mod", tf.PartitionMod}, {"div", tf.PartitionDiv}} {
		t.Run(tc.strategy, func(t *testing.T) {
			g := tf.NewGraph()
			defer g.AsDefault()()
			rows := []int{3, 2, 2} // 7 ids
			feed := session.Feed{}
			var shards []*tf.Tensor
			var vals [][]float64
			for i, r := range rows {
				p := tf.Placeholder(tf.Float64, tf.Shape{r, 2})
				d := table(r, 2, float64(10*i)+1)
				feed[p] = d
				shards = append(shards, p)
				vals = append(vals, d.Data().([]float64))
			}
			idv := [][]int32{{6, 0, 3}, {3, 5, 1}}
			y := nn.EmbeddingLookup(shards, idv, tf.PartitionStrategy(tc.part))
			c := []float64{1, -2}
			z := tf.ReduceSum(tf.Mul(tf.Square(y), tf.Constant(c, tf.Float64)))
			gr, err := tf.Gradients([]*tf.Tensor{z}, []any{shards[0], shards[1], shards[2]})
			if err != nil {
				t.Fatal(err)
			}
			var fetches []*tf.Tensor
			for i, gg := range gr {
				s := tf.IndexedSlicesOf(gg)
				if s == nil {
					t.Fatalf("gradient of shard %d is dense", i)
				}
				fetches = append(fetches, s.Values, tf.Cast(s.Indices, tf.Float64))
			}
			fetches = append(fetches, tf.GlobalNorm(gr))
			out := runAll(t, g, fetches, feed)
			// dz/dy = 2*y*c, row by row (flattened ids).
			var flat []int
			for _, r := range idv {
				for _, id := range r {
					flat = append(flat, int(id))
				}
			}
			sumSq := 0.0
			for p := range rows {
				values, indices := out[2*p], out[2*p+1]
				if len(indices) != len(flat) {
					t.Fatalf("shard %d: %d indices, want one per id (%d)", p, len(indices), len(flat))
				}
				for i, id := range flat {
					sp, r := refShard(tc.strategy, id, rows)
					var want [2]float64
					wantIx := -1.0
					if sp == p {
						wantIx = float64(r)
						for k := range 2 {
							want[k] = 2 * vals[sp][r*2+k] * c[k]
						}
					}
					if indices[i] != wantIx || values[2*i] != want[0] || values[2*i+1] != want[1] {
						t.Errorf("shard %d, id %d: index %v values %v, want %v %v", p, id, indices[i], values[2*i:2*i+2], wantIx, want)
					}
				}
			}
			for _, id := range flat {
				sp, r := refShard(tc.strategy, id, rows)
				for k := range 2 {
					v := 2 * vals[sp][r*2+k] * c[k]
					sumSq += v * v
				}
			}
			if got, want := out[len(out)-1][0], math.Sqrt(sumSq); math.Abs(got-want) > 1e-12*want {
				t.Errorf("global norm of the shards' gradients %v, want %v", got, want)
			}
		})
	}
}

func TestEmbeddingLookupMaxNorm(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	p := tf.Placeholder(tf.Float64, tf.Shape{3, 2})
	pv := [][]float64{{3, 4}, {0.3, 0.4}, {0, 0}}
	feed := session.Feed{p: pv}
	y := nn.EmbeddingLookup(p, [][]int32{{0, 1}, {2, 0}}, tf.MaxNorm(1))
	got := runAll(t, g, []*tf.Tensor{y}, feed)[0]
	// Row norms 5, 0.5, 0: the first is scaled to norm 1.
	want := []float64{0.6, 0.8, 0.3, 0.4, 0, 0, 0.6, 0.8}
	if ok, d := tftest.AllClose(got, want, 1e-15, 1e-12); !ok {
		t.Errorf("max_norm: %s", d)
	}
	pv[2] = []float64{0.5, -0.25}
	z := tf.ReduceSum(tf.Mul(y, tf.Constant([]float64{1, 3}, tf.Float64)))
	tftest.CheckGradients(t, g, z, []*tf.Tensor{p}, feed, 1e-6, 1e-7)
}

func TestEmbeddingLookupErrors(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	W := tf.NewVariable(tf.Zeros(tf.Shape{5, 2}, tf.Float32), tf.Name("W"))
	ids := tf.Placeholder(tf.Int32, tf.Shape{tf.None})
	y := nn.EmbeddingLookup(W, ids)
	sh := nn.EmbeddingLookup([]*tf.Variable{W, W}, ids)
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	sess.MustRun(tf.GlobalVariablesInitializer(), nil)
	for _, c := range []struct {
		y    *tf.Tensor
		ids  []int32
		want []string
	}{
		{y, []int32{1, 5}, []string{"embedding_lookup", "indices[1] = 5 is not in [0, 5)", "embedding_ops_test.go"}},
		{y, []int32{-1}, []string{"embedding_lookup", "indices[0] = -1 is not in [0, 5)"}},
		{sh, []int32{0, 10}, []string{"ShardedGather", "embedding_lookup", "ids[1] = 10 is not in [0, 10)", "embedding_ops_test.go"}},
		{sh, []int32{-3}, []string{"embedding_lookup", "ids[0] = -3 is not in [0, 10)", "embedding_ops_test.go"}},
	} {
		_, err := sess.Run(c.y, session.Feed{ids: c.ids})
		if err == nil {
			t.Errorf("ids %v: no error", c.ids)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("ids %v: error %q does not say %q", c.ids, err, w)
			}
		}
		// The session still works.
		if _, err := sess.Run(c.y, session.Feed{ids: []int32{0}}); err != nil {
			t.Errorf("after the error: %v", err)
		}
	}
	for _, c := range []struct {
		err  error
		want string
	}{
		{nn.EmbeddingLookup(W, []float32{1}).Err(), "want int32 or int64"},
		{nn.EmbeddingLookup([]*tf.Variable{}, ids).Err(), "empty list"},
		{nn.EmbeddingLookup(W, ids, tf.MaxNorm(-1)).Err(), "max_norm -1 must be positive"},
		{nn.EmbeddingLookup(W, ids, tf.Axis(1)).Err(), "does not take the option axis"},
	} {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("error %v, want one saying %q", c.err, c.want)
		}
	}
	_ = math.Pi
}
