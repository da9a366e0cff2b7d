// Command creative_rnn is listing L11 of Géron's chapter 14 (14.3.3): the
// time-series model of L9 (or L10 with -variant=stacked), once trained,
// generates a new sequence by predicting the next value, appending it and
// predicting again, 300 times: once from a seed of 20 zeros and once from an
// instance of the series (from t = 30, as the notebook). For each sequence it
// prints the number of generated steps, their range and the first 10 values,
// and it draws Figure 14-11 (the two sequences side by side) as a PNG file
// in -out, or else in a new temporary directory, printing where.
//
// A model trained for one-step predictions is not guaranteed to stay bounded
// when it runs on its own outputs: depending on the trained weights the
// generated sequence oscillates like the series or grows. An independent
// PyTorch version of the same training shows both, from one seed to the
// next; the generation loop here gives the same values as a NumPy loop over
// the trained weights (to 5e-3).
//
// With -restore, it loads the model that examples/time_series -save wrote
// (the notebook's saver.restore(sess, "./my_time_series_model")) instead
// of training it; -variant must be the one that was saved.
//
//	go run ./examples/time_series -variant=stacked -save=/tmp/ts/my_time_series_model
//	go run ./examples/creative_rnn -variant=stacked -restore=/tmp/ts/my_time_series_model
//
//	go run ./examples/creative_rnn [-variant=wrapper|stacked] [-iterations=1500] [-out=dir] [-restore=prefix]
package main

import (
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"path/filepath"
	"time"

	"github.com/gorgoflow/gorgoflow/contrib/rnn"
	"github.com/gorgoflow/gorgoflow/examples/figure"
	ts "github.com/gorgoflow/gorgoflow/examples/timeseries"
	"github.com/gorgoflow/gorgoflow/layers"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/placeholder"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/train"
)

func main() {
	variant := flag.String("variant", "wrapper", "output layer: wrapper (OutputProjectionWrapper, L9) or stacked (reshape, fully_connected, reshape, L10)")
	nIterations := flag.Int("iterations", 1500, "training iterations (batches of 50)")
	out := flag.String("out", "", "directory for the PNG figure (default: a new temporary directory)")
	restore := flag.String("restore", "", "checkpoint prefix saved by examples/time_series -save to restore instead of training (default: train)")
	flag.Parse()
	log.SetFlags(0)
	if *variant != "wrapper" && *variant != "stacked" {
		log.Fatalf("-variant=%q: want wrapper or stacked", *variant)
	}

	tf.SetRandomSeed(42)
	rng := rand.New(rand.NewPCG(42, 42)) // np.random.seed(42)

	// The model of 14.3.2.
	nSteps := 20
	nInputs := 1
	nNeurons := 100
	nOutputs := 1

	X := placeholder.New(tf.Float32, tf.Shape{tf.None, nSteps, nInputs}, placeholder.Name("X"))
	y := placeholder.New(tf.Float32, tf.Shape{tf.None, nSteps, nOutputs}, placeholder.Name("y"))

	var outputs *tf.Tensor
	if *variant == "wrapper" {
		cell := rnn.NewOutputProjectionWrapper(
			rnn.NewBasicRNNCell(nNeurons, rnn.Activation(tf.Relu)),
			nOutputs)
		outputs, _ = nn.DynamicRNN(cell, X, rnn.DType(tf.Float32))
	} else {
		cell := rnn.NewBasicRNNCell(nNeurons, rnn.Activation(tf.Relu))
		rnnOutputs, _ := nn.DynamicRNN(cell, X, rnn.DType(tf.Float32))
		stackedRNNOutputs := tf.Reshape(rnnOutputs, []int{-1, nNeurons})
		stackedOutputs := layers.FullyConnected(stackedRNNOutputs, nOutputs, layers.ActivationFn(nil))
		outputs = tf.Reshape(stackedOutputs, []int{-1, nSteps, nOutputs})
	}

	learningRate := 0.001

	loss := tf.ReduceMean(tf.Square(tf.Sub(outputs, y))) // MSE
	optimizer := train.NewAdamOptimizer(learningRate)
	trainingOp := optimizer.Minimize(loss)

	init := tf.GlobalVariablesInitializer()
	saver := train.NewSaver()

	batchSize := 50

	sess := session.New()
	defer sess.Close()
	if *restore != "" {
		if err := saver.Restore(sess, *restore); err != nil {
			log.Fatal(err)
		}
		fmt.Println("restored the model from", *restore)
		*nIterations = 0
	} else {
		sess.MustRun(init, nil)
	}
	start := time.Now()
	for iteration := 0; iteration < *nIterations; iteration++ {
		XBatch, yBatch := ts.NextBatch(rng, batchSize, nSteps)
		sess.MustRun(trainingOp, session.Feed{X: XBatch, y: yBatch})
		if iteration%100 == 0 {
			mse, err := sess.Eval(loss, session.Feed{X: XBatch, y: yBatch})
			if err != nil {
				log.Fatal(err)
			}
			fmt.Println(iteration, "\tMSE:", mse)
		}
	}
	if *restore == "" {
		log.Printf("trained %d iterations in %.1fs", *nIterations, time.Since(start).Seconds())
	}

	// 14.3.3: a seed of n_steps zeros, then 300 predictions, each fed back.
	start = time.Now()
	sequence1 := make([]float64, nSteps)
	for iteration := 0; iteration < 300; iteration++ {
		XBatch := [][][]float32{ts.Column(sequence1[len(sequence1)-nSteps:])}
		yPred := sess.MustRun(outputs, session.Feed{X: XBatch})[0]
		sequence1 = append(sequence1, yPred.Float64s()[nSteps-1]) // y_pred[0, -1, 0]
	}

	// The same from an instance of the series, as the notebook writes it:
	// 20 steps from t = t_max - t_min/3, which is t = 30 (the end of the
	// training range) since t_min = 0.
	sequence2 := make([]float64, nSteps)
	for i := range sequence2 {
		sequence2[i] = ts.TimeSeries(float64(i)*ts.Resolution + ts.TMin + (ts.TMax - ts.TMin/3))
	}
	for iteration := 0; iteration < 300; iteration++ {
		XBatch := [][][]float32{ts.Column(sequence2[len(sequence2)-nSteps:])}
		yPred := sess.MustRun(outputs, session.Feed{X: XBatch})[0]
		sequence2 = append(sequence2, yPred.Float64s()[nSteps-1])
	}
	log.Printf("generated 2 x 300 steps in %.2fs", time.Since(start).Seconds())

	for _, s := range []struct {
		name string
		seq  []float64
	}{{"zero seed", sequence1}, {"instance seed", sequence2}} {
		lo, hi := s.seq[nSteps], s.seq[nSteps]
		for _, v := range s.seq[nSteps:] {
			lo, hi = min(lo, v), max(hi, v)
		}
		fmt.Printf("%s: %d generated steps in [%.2f, %.2f], the first 10: %.4f\n", s.name, len(s.seq)-nSteps, lo, hi, s.seq[nSteps:nSteps+10])
	}

	dir, err := figure.Dir(*out)
	if err != nil {
		log.Fatal(err)
	}
	png, err := figure.Sequences(nSteps, sequence1, sequence2)
	if err != nil {
		log.Fatal(err)
	}
	path := filepath.Join(dir, "creative_sequence_plot.png")
	if err := figure.WriteFile(path, png); err != nil {
		log.Fatal(err)
	}
	fmt.Println("wrote", path)
}
