package nn_test

import (
	"fmt"
	"math/rand"
	"syscall"
	"testing"

	"github.com/gorgoflow/gorgoflow/contrib/rnn"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
)

// BenchmarkDynamicRNNTrainStep runs forward and backward passes of the
// chapter's MNIST model shapes (batch 150, 28 steps of 28 inputs, 150 units,
// the gradients of a BasicRNNCell's kernel and bias) on the fused loop, on
// the generic loop (the fused path off), and on the generic loop without
// hoisting the input products out of the loop. The issue's "generic loop
// within 2x of the fused path" is the ratio of their cpu-ms/op:
//
//	go test -run XXX -bench DynamicRNNTrainStep -benchmem ./nn
func BenchmarkDynamicRNNTrainStep(b *testing.B) {
	for _, bc := range []struct {
		name           string
		generic, hoist bool
	}{{"fused", false, true}, {"generic", true, true}, {"generic-nohoist", true, false}} {
		b.Run(bc.name, func(b *testing.B) {
			defer nn.SetGenericOnly(bc.generic)()
			defer nn.SetHoistProducts(bc.hoist)()
			benchTrainStep(b)
		})
	}
}

// BenchmarkDynamicRNNUserCellTrainStep is BenchmarkDynamicRNNTrainStep's
// generic loop on user-written cells of BasicRNNCell's math: concatCell
// (concat([x, h])·W) and splitCell (x·W_x + h·W_h), whose W_h gradient the
// loop defers to one product after the reverse pass as it does concat's
// h rows; batches of 150 and 32:
//
//	go test -run XXX -bench DynamicRNNUserCellTrainStep -benchmem ./nn
func BenchmarkDynamicRNNUserCellTrainStep(b *testing.B) {
	for _, bc := range []struct {
		name string
		cell func() rnn.Cell
	}{{"concat", func() rnn.Cell { return &concatCell{n: 150} }}, {"split", func() rnn.Cell { return newSplitCell(150) }}} {
		for _, batch := range []int{150, 32} {
			b.Run(fmt.Sprintf("%s/batch=%d", bc.name, batch), func(b *testing.B) { benchCellTrainStep(b, bc.cell(), batch) })
		}
	}
}

func benchTrainStep(b *testing.B) {
	benchCellTrainStep(b, rnn.NewBasicRNNCell(150), 150)
}

func benchCellTrainStep(b *testing.B, cell rnn.Cell, batch int) {
	g := tf.NewGraph()
	restore := g.AsDefault()
	X := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 28, 28})
	_, state := nn.DynamicRNN(cell, X, rnn.DType(tf.Float32))
	loss := tf.ReduceSum(tf.Square(state[0]))
	var vars []any
	for _, v := range tf.TrainableVariables() {
		vars = append(vars, v)
	}
	grads, err := tf.Gradients([]*tf.Tensor{loss}, vars)
	init := tf.GlobalVariablesInitializer()
	restore()
	if err != nil {
		b.Fatal(err)
	}
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	sess.MustRun(init, nil)
	r := rand.New(rand.NewSource(1))
	x := make([]float32, batch*28*28)
	for i := range x {
		x[i] = r.Float32()
	}
	feed := session.Feed{X: reshape3(x, batch, 28, 28)}
	sess.MustRun(grads, feed)
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		sess.MustRun(grads, feed)
	}
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N)/1e6, "cpu-ms/op")
}

// cpuTime returns the CPU time (user and system) the process has used, in
// nanoseconds: on a shared machine it varies less than the wall time.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

func reshape3(v []float32, a, b, c int) [][][]float32 {
	out := make([][][]float32, a)
	for i := range out {
		out[i] = make([][]float32, b)
		for j := range out[i] {
			out[i][j] = v[(i*b+j)*c : (i*b+j+1)*c]
		}
	}
	return out
}
