package session_test

import (
	"math/rand"
	"runtime"
	"testing"

	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/contrib/rnn"
	"github.com/gorgoflow/gorgoflow/layers"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/placeholder"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/train"
)

// liveHeap returns the bytes of live heap objects after full collections
// (two, so that objects whose finalizers ran in the first are gone).
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// userCell is BasicRNNCell's math written by a user (concat, MatMul, bias,
// tanh), so that DynamicRNN takes its generic loop rather than the fused
// path.
type userCell struct {
	rnn.Cell
	units int
}

func (c userCell) Call(x *tf.Tensor, state []*tf.Tensor) (*tf.Tensor, []*tf.Tensor) {
	w := tf.GetVariable("kernel", tf.Shape{x.Shape()[1] + c.units, c.units}, tf.WithInitializer(tf.GlorotUniformInitializer(tf.Seed(1))))
	b := tf.GetVariable("bias", tf.Shape{c.units}, tf.WithInitializer(tf.ZerosInitializer()))
	h := tf.Tanh(tf.Add(tf.MatMul(tf.Concat([]*tf.Tensor{x, state[0]}, 1), w), b))
	return h, []*tf.Tensor{h}
}

// w1Model is W1's model (listing L8: DynamicRNN over 28 steps of 28
// inputs, a dense layer of 10 on the final state, sparse softmax
// cross-entropy, Adam) with units neurons, in a graph of its own; generic
// swaps BasicRNNCell for userCell.
type w1Model struct {
	g          *tf.Graph
	x, y       *tf.Tensor
	loss       *tf.Tensor
	train      *tf.Operation
	init       *tf.Operation
	steps, ins int
}

func newW1Model(t *testing.T, units int, generic bool) *w1Model {
	t.Helper()
	m := &w1Model{g: tf.NewGraph(), steps: 28, ins: 28}
	restore := m.g.AsDefault()
	defer restore()
	tf.SetRandomSeed(42)
	m.x = placeholder.New(tf.Float32, tf.Shape{tf.None, m.steps, m.ins}, placeholder.Name("X"))
	m.y = placeholder.New(tf.Int32, tf.Shape{tf.None}, placeholder.Name("y"))
	var cell rnn.Cell = rnn.NewBasicRNNCell(units)
	if generic {
		cell = userCell{cell, units}
	}
	_, states := nn.DynamicRNN(cell, m.x, rnn.DType(tf.Float32))
	logits := layers.FullyConnected(states[0], 10, layers.ActivationFn(nil))
	m.loss = tf.ReduceMean(nn.SparseSoftmaxCrossEntropyWithLogits(m.y, logits))
	m.train = train.NewAdamOptimizer(0.001).Minimize(m.loss)
	m.init = tf.GlobalVariablesInitializer()
	if err := m.g.Err(); err != nil {
		t.Fatal(err)
	}
	return m
}

// feed returns a batch of n random sequences and labels.
func (m *w1Model) feed(r *rand.Rand, n int) session.Feed {
	x := make([]float32, n*m.steps*m.ins)
	for i := range x {
		x[i] = float32(r.NormFloat64())
	}
	y := make([]int32, n)
	for i := range y {
		y[i] = int32(r.Intn(10))
	}
	return session.Feed{
		m.x: tensor.New(tensor.WithShape(n, m.steps, m.ins), tensor.WithBacking(x)),
		m.y: tensor.New(tensor.WithShape(n), tensor.WithBacking(y)),
	}
}

// trainSession creates a session on a new W1 model, trains it for a few
// steps and closes it.
func trainSession(t *testing.T, r *rand.Rand, units int, generic bool) {
	m := newW1Model(t, units, generic)
	s := session.New(session.WithGraph(m.g))
	s.MustRun(m.init, nil)
	f := m.feed(r, 150)
	for range 3 {
		if _, err := s.Run([]tf.Fetch{m.loss, m.train}, f); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestClosedSessionsFreeMemory creates, trains and closes many W1
// sessions (fused and generic loop) and fails if the live heap grows
// with their number: a closed session, once its graph is dropped, keeps
// nothing.
func TestClosedSessionsFreeMemory(t *testing.T) {
	if testing.Short() || raceDetector {
		t.Skip("trains 30 models; the race detector holds memory of its own")
	}
	r := rand.New(rand.NewSource(1))
	for _, generic := range []bool{false, true} {
		for range 3 { // warm up: lazily made globals, pools
			trainSession(t, r, 150, generic)
		}
		before := liveHeap()
		const n = 12
		for range n {
			trainSession(t, r, 150, generic)
		}
		after := liveHeap()
		per := (int64(after) - int64(before)) / n
		t.Logf("generic %v: live heap %d KiB before, %d KiB after %d more sessions: %d bytes per closed session", generic, before>>10, after>>10, n, per)
		if per > 64<<10 {
			t.Errorf("generic %v: each closed session keeps %d bytes of live heap (%d KiB before %d sessions, %d KiB after)", generic, per, before>>10, n, after>>10)
		}
	}
}

// TestManyBatchSizesBoundedMemory runs one session at 300 batch sizes:
// the program cache keeps the 32 most recently used programs only, so
// running the 32 smallest batch sizes again (which drops the programs of
// the large ones) brings the live heap back to what it was after they first
// ran, and Close gives everything back.
func TestManyBatchSizesBoundedMemory(t *testing.T) {
	if testing.Short() || raceDetector {
		t.Skip("compiles 330 programs; the race detector holds memory of its own")
	}
	r := rand.New(rand.NewSource(2))
	m := newW1Model(t, 64, false)
	base := liveHeap()
	s := session.New(session.WithGraph(m.g))
	s.MustRun(m.init, nil)
	runSizes := func(from, to int) {
		for n := from; n <= to; n++ {
			if _, err := s.Run([]tf.Fetch{m.loss, m.train}, m.feed(r, n)); err != nil {
				t.Fatal(err)
			}
		}
	}
	const small, sizes = session.DefaultMaxCachedPrograms, 300
	runSizes(1, small)
	first := liveHeap()
	runSizes(small+1, sizes)
	large := liveHeap()
	runSizes(1, small)
	again := liveHeap()
	if n := session.NumPrograms(s); n != small {
		t.Errorf("%d programs cached, want %d", n, small)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	closed := liveHeap()
	t.Logf("live heap: %d KiB before the session; %d KiB after batch sizes 1-%d, %d KiB after %d-%d, %d KiB after 1-%d again; %d KiB after Close",
		base>>10, first>>10, small, large>>10, small+1, sizes, again>>10, small, closed>>10)
	if again > first+first/4+1<<20 {
		t.Errorf("live heap %d KiB after batch sizes 1-%d ran again, %d KiB when they first ran: the programs of larger batches were kept", again>>10, small, first>>10)
	}
	if closed > base+1<<20 {
		t.Errorf("after Close the live heap is %d KiB, %d KiB before the session: Close did not free its programs", closed>>10, base>>10)
	}
	runtime.KeepAlive(m)
}

// TestCachedProgramsKeepBoundedBuffers runs one session at 32 large batch
// sizes, all of which its program cache keeps: the buffers the cached
// programs keep for their next runs are bounded by the session's budget
// (session.BufferBudget), not by the number of programs times their
// batch size.
func TestCachedProgramsKeepBoundedBuffers(t *testing.T) {
	if testing.Short() || raceDetector {
		t.Skip("compiles 32 programs; the race detector holds memory of its own")
	}
	r := rand.New(rand.NewSource(3))
	m := newW1Model(t, 150, false)
	s := session.New(session.WithGraph(m.g))
	defer s.Close()
	s.MustRun(m.init, nil)
	base := liveHeap()
	for n := 269; n <= 300; n++ {
		if _, err := s.Run([]tf.Fetch{m.loss, m.train}, m.feed(r, n)); err != nil {
			t.Fatal(err)
		}
	}
	grown := int64(liveHeap()) - int64(base)
	t.Logf("live heap grew by %d KiB over 32 batch sizes (269-300); %d programs cached, keeping %d KiB of buffers",
		grown>>10, session.NumPrograms(s), session.PoolBytes(s)>>10)
	if limit := int64(session.BufferBudget + 16<<20); grown > limit {
		t.Errorf("live heap grew by %d MiB over 32 batch sizes, more than the buffer budget (%d MiB) and 16 MiB", grown>>20, session.BufferBudget>>20)
	}
	if b := session.PoolBytes(s); b > session.BufferBudget {
		t.Errorf("cached programs keep %d KiB of buffers, over the budget of %d KiB", b>>10, session.BufferBudget>>10)
	}
}

// TestMemoryPlanSharesBuffers trains W1 (fused and generic loop): from
// its second run on, a program keeps its memory plan, in which values
// whose lifetimes do not overlap share memory, so it keeps less than the
// buffers of its first run (one per kernel output); and training goes on
// giving the same losses as a session whose programs never plan (each Run
// compiles anew: MaxCachedPrograms(0)).
func TestMemoryPlanSharesBuffers(t *testing.T) {
	for _, generic := range []bool{false, true} {
		r := rand.New(rand.NewSource(4))
		m := newW1Model(t, 100, generic)
		feeds := []session.Feed{m.feed(r, 150), m.feed(r, 150), m.feed(r, 150)}
		losses := func(s *session.Session) (out []float64, first, planned int64) {
			defer s.Close()
			s.MustRun(m.init, nil)
			for i, f := range feeds {
				v, err := s.Run([]tf.Fetch{m.loss, m.train}, f)
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, v[0].Float64s()[0])
				switch i {
				case 0:
					first = session.PoolBytes(s)
				case 1:
					planned = session.PoolBytes(s)
				}
			}
			return out, first, planned
		}
		got, first, planned := losses(session.New(session.WithGraph(m.g)))
		want, _, _ := losses(session.New(session.WithGraph(m.g), session.MaxCachedPrograms(0)))
		t.Logf("generic %v: first run's buffers %d KiB, memory plan %d KiB; losses %v", generic, first>>10, planned>>10, got)
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("generic %v: loss %d is %v with a memory plan, %v without", generic, i, got[i], want[i])
			}
		}
		if planned <= 0 || planned >= first {
			t.Errorf("generic %v: the memory plan keeps %d bytes, the first run's buffers %d", generic, planned, first)
		}
	}
}
