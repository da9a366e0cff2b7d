// Command translation trains the encoder-decoder of Géron's chapter 14
// ("Machine Translation", tf.contrib.legacy_seq2seq.embedding_rnn_seq2seq)
// on a translation task with real structure that needs no download: dates
// written by people, in words or numbers and in three word orders, into
// ISO dates ("the twenty first of march nineteen ninety eight" ->
// "1998-03-21"). See package dates.
//
//	go run ./examples/translation              # train, then decode held-out dates
//	go run ./examples/translation -notebook    # the notebook's configuration, one step
//
// Training feeds the decoder the true previous characters; evaluation
// decodes greedily (feed_previous=True: each step is fed the previous
// step's most likely character), in the same graph and weights, and prints
// the exact-match accuracy on dates never seen in training, and a few
// translations.
//
// With -notebook it builds the notebook's own model (20,000 symbols on each
// side, 3 BasicLSTMCell layers of 200, 50 steps, embeddings of 150,
// Adam(0.01)) and runs one training step on random ids, as a size check.
package main

import (
	"flag"
	"fmt"
	"log"
	"math/rand"
	"time"

	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/contrib/rnn"
	"github.com/gorgoflow/gorgoflow/examples/translation/dates"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/placeholder"
	"github.com/gorgoflow/gorgoflow/seq2seq"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/train"
)

func main() {
	log.SetFlags(0)
	notebook := flag.Bool("notebook", false, "build the notebook's configuration (20,000 symbols, 3 layers of 200, 50 steps) and run one step")
	steps := flag.Int("steps", 1500, "training steps")
	batchSize := flag.Int("batch", 64, "batch size")
	units := flag.Int("units", 128, "GRU units")
	heldOut := flag.Int("test", 1000, "held-out dates to evaluate")
	seed := flag.Int64("seed", 42, "random seed")
	flag.Parse()
	if *notebook {
		if err := notebookStep(*seed); err != nil {
			log.Fatal(err)
		}
		return
	}
	if err := run(*steps, *batchSize, *units, *heldOut, *seed); err != nil {
		log.Fatal(err)
	}
}

func run(steps, batchSize, units, heldOut int, seed int64) error {
	task := dates.NewTask(seed, heldOut)
	src, tgt := task.Source, task.Target

	tf.SetRandomSeed(seed)
	X := placeholder.New(tf.Int32, tf.Shape{tf.None, dates.EncSteps}, placeholder.Name("X"))
	Y := placeholder.New(tf.Int32, tf.Shape{tf.None, dates.DecSteps + 1}, placeholder.Name("Y"))
	feedPrevious := tf.PlaceholderWithDefault(false, tf.Shape{}, tf.Name("feed_previous"))
	yInput := tf.Index(Y, ":, :-1")
	yTarget := tf.Index(Y, ":, 1:")
	encoderInputs := tf.Unstack(tf.Transpose(X, nil), 0)
	decoderInputs := tf.Unstack(tf.Transpose(yInput, nil), 0)
	targets := tf.Unstack(tf.Transpose(yTarget, nil), 0)
	cell := rnn.NewGRUCell(units)
	outputSeqs, _ := seq2seq.EmbeddingRNNSeq2Seq(encoderInputs, decoderInputs, cell, src.Len(), tgt.Len(), 32,
		seq2seq.FeedPreviousTensor(feedPrevious))
	weights := make([]*tf.Tensor, len(targets))
	for i, t := range targets {
		weights[i] = tf.OnesLike(tf.Cast(t, tf.Float32))
	}
	loss := seq2seq.SequenceLoss(outputSeqs, targets, weights)
	trainingOp := train.NewAdamOptimizer(0.005).Minimize(loss)
	predictions := make([]tf.Fetch, len(outputSeqs))
	for i, o := range outputSeqs {
		predictions[i] = tf.ArgMax(o, 1)
	}
	init := tf.GlobalVariablesInitializer()
	if err := tf.DefaultGraph().Err(); err != nil {
		return err
	}
	sess := session.New()
	defer sess.Close()
	if _, err := sess.Run(init, nil); err != nil {
		return err
	}
	// evaluate decodes the held-out dates greedily (feed_previous: only
	// the GO symbol of Y is read).
	evaluate := func() (float64, []string, error) {
		x, y := task.EncodeQuestions(task.Test)
		out, err := sess.Run(predictions, session.Feed{X: x, Y: y, feedPrevious: true})
		if err != nil {
			return 0, nil, err
		}
		decoded, err := task.Decode(out)
		if err != nil {
			return 0, nil, err
		}
		return dates.ExactMatch(decoded, task.Test), decoded, nil
	}
	fmt.Printf("source vocabulary %d words, target %d symbols; %d training steps of %d dates, GRU of %d\n", src.Len(), tgt.Len(), steps, batchSize, units)
	start := time.Now()
	sum := 0.0
	for step := 1; step <= steps; step++ {
		x, y := task.Encode(task.NextBatch(batchSize))
		out, err := sess.Run([]tf.Fetch{trainingOp, loss}, session.Feed{X: x, Y: y})
		if err != nil {
			return err
		}
		sum += out[1].Float64s()[0]
		if step%500 == 0 {
			acc, _, err := evaluate()
			if err != nil {
				return err
			}
			fmt.Printf("step %5d  loss %.4f  held-out exact match %.1f%%  (%s)\n", step, sum/500, 100*acc, time.Since(start).Round(time.Second))
			sum = 0
		}
	}
	acc, decoded, err := evaluate()
	if err != nil {
		return err
	}
	fmt.Printf("held-out exact match (greedy decoding, feed_previous): %.2f%% of %d dates\n", 100*acc, len(task.Test))
	for i := 0; i < 8 && i < len(task.Test); i++ {
		mark := "ok"
		if decoded[i] != task.Test[i].ISO {
			mark = "WRONG, want " + task.Test[i].ISO
		}
		fmt.Printf("  %-50q -> %s  %s\n", task.Test[i].Human, decoded[i], mark)
	}
	return nil
}

// notebookStep builds the notebook's machine translation model, line for
// line, and runs one training step on random ids.
func notebookStep(seed int64) error {
	tf.SetRandomSeed(seed)
	const (
		nSteps            = 50
		nNeurons          = 200
		nLayers           = 3
		numEncoderSymbols = 20000
		numDecoderSymbols = 20000
		embeddingSize     = 150
		learningRate      = 0.01
		batch             = 4
	)
	X := tf.Placeholder(tf.Int32, tf.Shape{tf.None, nSteps}) // English sentences
	Y := tf.Placeholder(tf.Int32, tf.Shape{tf.None, nSteps}) // French translations
	W := tf.Placeholder(tf.Float32, tf.Shape{tf.None, nSteps - 1, 1})
	yInput := tf.Index(Y, ":, :-1")
	yTarget := tf.Index(Y, ":, 1:")
	encoderInputs := tf.Unstack(tf.Transpose(X, nil), 0) // list of 1D tensors
	decoderInputs := tf.Unstack(tf.Transpose(yInput, nil), 0)
	var lstmCells []rnn.Cell
	for layer := 0; layer < nLayers; layer++ {
		lstmCells = append(lstmCells, rnn.NewBasicLSTMCell(nNeurons))
	}
	cell := rnn.NewMultiRNNCell(lstmCells)
	outputSeqs, _ := seq2seq.EmbeddingRNNSeq2Seq(encoderInputs, decoderInputs, cell, numEncoderSymbols, numDecoderSymbols, embeddingSize)
	logits := tf.Transpose(tf.Stack(outputSeqs, 0), []int{1, 0, 2})
	logitsFlat := tf.Reshape(logits, []int{-1, numDecoderSymbols})
	yTargetFlat := tf.Reshape(yTarget, []int{-1})
	wFlat := tf.Reshape(W, []int{-1})
	xentropy := tf.Mul(wFlat, nn.SparseSoftmaxCrossEntropyWithLogits(yTargetFlat, logitsFlat))
	loss := tf.ReduceMean(xentropy)
	optimizer := train.NewAdamOptimizer(learningRate)
	trainingOp := optimizer.Minimize(loss)
	init := tf.GlobalVariablesInitializer()
	if err := tf.DefaultGraph().Err(); err != nil {
		return err
	}
	params := 0
	for _, v := range tf.TrainableVariables() {
		params += v.Shape().NumElements()
	}
	fmt.Printf("notebook model: %d trainable variables, %d parameters\n", len(tf.TrainableVariables()), params)
	r := rand.New(rand.NewSource(seed))
	ids := func(n int) *tensor.Dense {
		v := make([]int32, batch*n)
		for i := range v {
			v[i] = int32(r.Intn(numEncoderSymbols))
		}
		return tensor.New(tensor.WithShape(batch, n), tensor.WithBacking(v))
	}
	w := make([]float32, batch*(nSteps-1))
	for i := range w {
		w[i] = 1
	}
	sess := session.New()
	defer sess.Close()
	if _, err := sess.Run(init, nil); err != nil {
		return err
	}
	start := time.Now()
	out, err := sess.Run([]tf.Fetch{trainingOp, loss}, session.Feed{X: ids(nSteps), Y: ids(nSteps), W: tensor.New(tensor.WithShape(batch, nSteps-1, 1), tensor.WithBacking(w))})
	if err != nil {
		return err
	}
	fmt.Printf("one training step on a batch of %d: loss %.4f (ln 20000 = 9.90), %s\n", batch, out[1].Float64s()[0], time.Since(start).Round(time.Millisecond))
	return nil
}
