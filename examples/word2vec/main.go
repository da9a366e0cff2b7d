// Command word2vec trains the skip-gram word embeddings of Géron's chapter
// 14 notebook ("Word Embeddings"), line for line in gorgoflow: a vocabulary
// of up to 50,000 words (all the corpus's distinct words when it has fewer),
// embeddings of 150, batches of 128 (skip window 1, 2 skips per word), NCE
// loss with 64 sampled classes and Adam(0.01).
//
// Nothing is downloaded. The default corpus is the King James Bible
// (790,000 words, 12,600 distinct), which comes with Debian's bible-kjv
// package; run.sh beside this file installs it when it is missing:
//
//	examples/word2vec/run.sh                           # 40,001 steps
//	examples/word2vec/run.sh -png embeddings.png       # and the figure
//	go run ./examples/word2vec -corpus go -probes function,error,slice
//	go run ./examples/word2vec -corpus book.txt -probes ...
//
// -corpus go trains on the comments and documentation of the Go
// distribution instead (7 million words about programming, whose
// vocabulary fills with code identifiers), and a path on the words of a
// text file or of a directory of .txt files.
//
// Every 2,000 steps it prints the average loss, and every 10,000 steps and
// at the end the 8 nearest words of the probe words, by cosine similarity
// of the normalized embeddings, searched among the words the corpus has at
// least -mincount times (10 by default; 1 for all). TF's word2vec tutorial
// draws its probes from the 100 most frequent words and keeps only the
// 50,000 most frequent words of text8 (17 million words), so its
// neighbours are words seen many times; the KJV's vocabulary is all of
// its 12,543 words, 7,266 of them seen at most 4 times (3,937 once), and
// the notebook's optimizer, TF 1.x's Adam, moves every row of an
// embedding at every step (its dense update of m/sqrt(v)), so a word
// seen once or twice drifts far in the direction of its few gradients
// and lands anywhere. At the end (-baseline, on by default) it prints the
// nearest words of an independent count-based model of the same word
// pairs, their positive pointwise mutual information reduced by a
// truncated SVD to 150 dimensions (Levy, Goldberg and Dagan, 2015), and
// how many nearest words the two share. With -png it draws the
// notebook's figure: a 2-D t-SNE (computed in Go; -projection pca for
// PCA) of the 500 most frequent words.
//
// On the KJV the default 40,001 steps (3.2 passes over its pairs) take
// 99 ms a step on a loaded 2-core machine, most of it Adam's dense update
// of the two 12,544 x 150 matrices; the average loss falls from 222 to
// 5.4-6.0. The baseline's neighbours make sense (three: six, nine, eight,
// twelve, seven; gold: brass, silver; said: answered, spake); the
// skip-gram's only in part (god: lord, father, jesus; gold: silver;
// three: two, twelve, seven), sharing 14 of 96 with the baseline, and
// change between checkpoints: Adam(0.01) keeps the frequent words'
// embeddings wandering. -optimizer sgd (TF's word2vec_basic.py
// tutorial's GradientDescentOptimizer(1.0), 1.3 ms a step) needs about
// 400,001 steps (-steps), after which day, three, said, god, son and
// brought have sensible neighbours (18 of 96 shared). README quotes both
// runs.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"math"
	"math/rand"
	"os"
	"runtime"
	"strings"
	"time"

	"gonum.org/v1/plot/plotter"

	"github.com/gorgoflow/gorgoflow/examples/skipgram"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/placeholder"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/train"
)

// config is what the flags set.
type config struct {
	corpus       string // "kjv", "go", or a text file or directory
	steps        int
	vocab        int
	probes       []string
	png          string
	plotWords    int
	projection   string // "tsne" or "pca"
	optimizer    string // "adam" (the notebook's) or "sgd" (TF's word2vec_basic.py)
	seed         int64
	lossEvery    int
	nearestEvery int
	minCount     int  // neighbours are words seen at least this often
	baseline     bool // print the PPMI-SVD baseline's neighbours too
}

// defaultProbes are the probe words of each named corpus.
var defaultProbes = map[string]string{
	"kjv": "king,god,son,water,said,three,day,israel,gold,house,sword,brought",
	"go":  "function,value,error,file,returns,string,slice,goroutine,if,zero",
}

func main() {
	log.SetFlags(0)
	var cfg config
	flag.StringVar(&cfg.corpus, "corpus", "kjv", `the corpus: "kjv" (the King James Bible of Debian's bible-kjv), "go" (the comments and docs under $(go env GOROOT)), or a text file or directory of .txt files`)
	flag.IntVar(&cfg.steps, "steps", 40001, "training steps (the notebook's num_steps)")
	flag.IntVar(&cfg.vocab, "vocab", 50000, "vocabulary size: UNK and the most frequent words (capped at the corpus's distinct words)")
	probes := flag.String("probes", "", "comma-separated words whose nearest neighbours are printed (default: a dozen for kjv or go)")
	flag.StringVar(&cfg.png, "png", "", "write the 2-D projection of the most frequent words to this PNG")
	flag.IntVar(&cfg.plotWords, "plot", 500, "how many of the most frequent words the PNG shows (the notebook's plot_only)")
	flag.StringVar(&cfg.optimizer, "optimizer", "adam", `"adam": the notebook's Adam(0.01); "sgd": TF's word2vec_basic.py tutorial's GradientDescentOptimizer(1.0), which updates only the rows a batch uses`)
	flag.StringVar(&cfg.projection, "projection", "tsne", `the PNG's projection to 2-D: "tsne" (the notebook's: perplexity 30, 1,000 iterations) or "pca"`)
	flag.Int64Var(&cfg.seed, "seed", 42, "random seed")
	flag.IntVar(&cfg.minCount, "mincount", 10, "the nearest words are searched among the words the corpus has at least this many times (1: all)")
	flag.BoolVar(&cfg.baseline, "baseline", true, "also print the nearest words by an independent count-based model (PPMI of the same word pairs, reduced by SVD to the embeddings' size) and how many the two share")
	flag.Parse()
	cfg.lossEvery, cfg.nearestEvery = 2000, 10000
	if *probes == "" {
		*probes = defaultProbes[cfg.corpus]
	}
	for _, p := range strings.Split(*probes, ",") {
		if p = strings.TrimSpace(p); p != "" {
			cfg.probes = append(cfg.probes, p)
		}
	}
	if err := run(cfg, os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// readCorpus returns the words of the corpus that cfg.corpus names.
func readCorpus(name string) ([]string, string, error) {
	switch name {
	case "kjv":
		w, err := skipgram.ReadKJV()
		return w, "the King James Bible (bible-kjv)", err
	case "go":
		w, err := skipgram.ReadGoDocs(runtime.GOROOT())
		return w, "the comments and docs under " + runtime.GOROOT(), err
	}
	w, err := skipgram.ReadText(name)
	return w, name, err
}

// run trains the model on the corpus of cfg and prints its progress to out.
func run(cfg config, out io.Writer) error {
	start := time.Now()
	words, from, err := readCorpus(cfg.corpus)
	if err != nil {
		return err
	}
	d, err := skipgram.BuildDataset(words, cfg.vocab)
	if err != nil {
		return err
	}
	vocabularySize := len(d.Reverse)
	fmt.Fprintf(out, "corpus: %d words from %s\n", len(words), from)
	fmt.Fprintf(out, "vocabulary: %d words (UNK: %d occurrences); most common: %s\n",
		vocabularySize, d.Counts[0], strings.Join(d.Reverse[1:min(9, vocabularySize)], " "))

	const (
		batchSize     = 128
		embeddingSize = 150
		skipWindow    = 1
		numSkips      = 2
		numSampled    = 64
		learningRate  = 0.01
	)
	var validExamples []int32
	for _, w := range cfg.probes {
		if id, ok := d.Dictionary[w]; ok {
			validExamples = append(validExamples, int32(id))
		} else {
			fmt.Fprintf(out, "probe %q is not in the vocabulary: left out\n", w)
		}
	}

	g := tf.NewGraph()
	defer g.AsDefault()()
	tf.SetRandomSeed(cfg.seed)
	trainInputs := placeholder.New(tf.Int32, tf.Shape{tf.None})
	trainLabels := placeholder.New(tf.Int32, tf.Shape{batchSize, 1})
	initEmbeds := tf.RandomUniform(tf.Shape{vocabularySize, embeddingSize}, tf.Float32, tf.Minval(-1), tf.Maxval(1))
	embeddings := tf.NewVariable(initEmbeds)
	embed := nn.EmbeddingLookup(embeddings, trainInputs)
	nceWeights := tf.NewVariable(tf.TruncatedNormal(tf.Shape{vocabularySize, embeddingSize}, tf.Float32, tf.Stddev(1/math.Sqrt(embeddingSize))))
	nceBiases := tf.NewVariable(tf.Zeros(tf.Shape{vocabularySize}, tf.Float32))
	loss := tf.ReduceMean(nn.NCELoss(nceWeights, nceBiases, trainLabels, embed, numSampled, vocabularySize))
	var optimizer train.Optimizer
	switch cfg.optimizer {
	case "adam", "":
		optimizer = train.NewAdamOptimizer(learningRate)
	case "sgd":
		optimizer = train.NewGradientDescentOptimizer(1.0)
	default:
		return fmt.Errorf("-optimizer %q: want adam or sgd", cfg.optimizer)
	}
	trainingOp := optimizer.Minimize(loss)
	norm := tf.Sqrt(tf.ReduceSum(tf.Square(embeddings), tf.Axis(1), tf.KeepDims(true)))
	normalizedEmbeddings := tf.Div(embeddings, norm)
	var similarity *tf.Tensor
	if len(validExamples) > 0 {
		validDataset := tf.Constant(validExamples, tf.Int32)
		validEmbeddings := nn.EmbeddingLookup(normalizedEmbeddings, validDataset)
		similarity = tf.MatMul(validEmbeddings, normalizedEmbeddings, tf.TransposeB(true))
	}
	init := tf.GlobalVariablesInitializer()
	if err := g.Err(); err != nil {
		return err
	}

	sess := session.New()
	defer sess.Close()
	if _, err := sess.Run([]tf.Fetch{init}, nil); err != nil {
		return err
	}
	// The nearest words are searched among ids [0, among): the words seen
	// at least minCount times (ids go by decreasing count), and UNK when it
	// is as frequent.
	among := d.Frequent(cfg.minCount)
	if len(validExamples) > 0 {
		fmt.Fprintf(out, "nearest words among the %d words seen at least %d times\n", among-1, max(cfg.minCount, 1))
	}
	lastNearest := map[int32][]string{}
	printNearest := func() error {
		if len(validExamples) == 0 {
			return nil
		}
		sim, err := sess.Run([]tf.Fetch{similarity}, nil)
		if err != nil {
			return err
		}
		all := sim[0].Float64s()
		for i, p := range validExamples {
			row := d.Candidates(all[i*vocabularySize:(i+1)*vocabularySize], cfg.minCount)
			lastNearest[p] = skipgram.Nearest(row, d.Reverse, int(p), 8)
			fmt.Fprintf(out, "Nearest to %s: %s\n", d.Reverse[p], strings.Join(lastNearest[p], ", "))
		}
		return nil
	}

	b := skipgram.NewBatcher(d.Data, rand.New(rand.NewSource(cfg.seed)))
	trainStart := time.Now()
	averageLoss := 0.0
	for step := 0; step < cfg.steps; step++ {
		batchInputs, batchLabels, err := b.GenerateBatch(batchSize, numSkips, skipWindow)
		if err != nil {
			return err
		}
		res, err := sess.Run([]tf.Fetch{trainingOp, loss}, session.Feed{trainInputs: batchInputs, trainLabels: batchLabels})
		if err != nil {
			return err
		}
		averageLoss += res[1].Float64s()[0]
		if step%cfg.lossEvery == 0 {
			if step > 0 {
				averageLoss /= float64(cfg.lossEvery)
			}
			// The average loss is an estimate of the loss over the last lossEvery batches.
			fmt.Fprintf(out, "Average loss at step %d: %.4f  (%s)\n", step, averageLoss, time.Since(trainStart).Round(time.Second))
			averageLoss = 0
		}
		if step%cfg.nearestEvery == 0 || step == cfg.steps-1 {
			if err := printNearest(); err != nil {
				return err
			}
		}
	}
	fmt.Fprintf(out, "trained %d steps in %s (%.1f ms a step; %.1f passes over the corpus's pairs)\n",
		cfg.steps, time.Since(trainStart).Round(time.Second),
		float64(time.Since(trainStart).Milliseconds())/float64(max(cfg.steps, 1)),
		float64(cfg.steps)*batchSize/float64(numSkips*len(d.Data)))
	if cfg.baseline && len(validExamples) > 0 {
		if err := printBaseline(out, d, validExamples, lastNearest, among, skipWindow, embeddingSize, cfg); err != nil {
			return err
		}
	}
	if cfg.png != "" && cfg.projection != "tsne" && cfg.projection != "pca" {
		return fmt.Errorf("-projection %q: want tsne or pca", cfg.projection)
	}
	if cfg.png != "" {
		final, err := sess.Run([]tf.Fetch{normalizedEmbeddings}, nil)
		if err != nil {
			return err
		}
		// Id 0 (UNK) is left out when the corpus has no unknown word.
		first := 0
		if d.Counts[0] == 0 {
			first = 1
		}
		n := min(first+cfg.plotWords, vocabularySize)
		lowDim := final[0].Float64s()[first*embeddingSize : n*embeddingSize]
		projStart := time.Now()
		var xy plotter.XYs
		if cfg.projection == "pca" {
			xy, err = skipgram.PCA2(lowDim, embeddingSize)
		} else {
			xy, err = skipgram.TSNE(lowDim, embeddingSize, min(30, float64(n-first-2)), 1000)
		}
		if err != nil {
			return err
		}
		title := fmt.Sprintf("word2vec on %s: the %d most frequent words after %d steps (%s)", from, n-first, cfg.steps, strings.ToUpper(cfg.projection))
		if err := skipgram.PlotWithLabels(xy, d.Reverse[first:n], title, cfg.png); err != nil {
			return err
		}
		fmt.Fprintf(out, "%s of %d words in %s\n", strings.ToUpper(cfg.projection), n-first, time.Since(projStart).Round(100*time.Millisecond))
		fmt.Fprintf(out, "wrote %s\n", cfg.png)
	}
	fmt.Fprintf(out, "total %s\n", time.Since(start).Round(time.Second))
	return nil
}

// printBaseline prints the nearest words of the probes by an independent
// count-based model of the same word pairs (PPMI of each word with the
// words at most skipWindow away, reduced by a truncated SVD to the
// embeddings' size), searched among the same words, and how many of the
// skip-gram's nearest words it shares.
func printBaseline(out io.Writer, d *skipgram.Dataset, probes []int32, nearest map[int32][]string, among, skipWindow, dim int, cfg config) error {
	start := time.Now()
	if among < 12 {
		fmt.Fprintf(out, "baseline: only %d words seen at least %d times, too few for the PPMI-SVD baseline\n", among-1, cfg.minCount)
		return nil
	}
	dim = min(dim, among-10)
	p, err := skipgram.NewPPMI(d.Data, len(d.Reverse), among, skipWindow)
	if err != nil {
		return err
	}
	if err := p.Reduce(dim, len(d.Reverse), cfg.seed); err != nil {
		return err
	}
	fmt.Fprintf(out, "baseline: PPMI of the skip-gram's pairs (skip window %d), SVD to %d dimensions, %d words (%s)\n", skipWindow, dim, among, time.Since(start).Round(100*time.Millisecond))
	shared, total := 0, 0
	for _, w := range probes {
		if int(w) >= among {
			fmt.Fprintf(out, "PPMI-SVD nearest to %s: (seen fewer than %d times)\n", d.Reverse[w], cfg.minCount)
			continue
		}
		row := d.Candidates(p.Similarities(int(w)), cfg.minCount)
		base := skipgram.Nearest(row, d.Reverse, int(w), 8)
		in := map[string]bool{}
		for _, x := range base {
			in[x] = true
		}
		n := 0
		for _, x := range nearest[w] {
			if in[x] {
				n++
			}
		}
		shared += n
		total += len(nearest[w])
		fmt.Fprintf(out, "PPMI-SVD nearest to %s: %s  (shares %d)\n", d.Reverse[w], strings.Join(base, ", "), n)
	}
	// Two lists of 8 drawn at random from among-2 words share 64/(among-2) on average.
	fmt.Fprintf(out, "the skip-gram and the baseline share %d of their %d nearest words (%.1f expected by chance)\n",
		shared, total, float64(total)*8/float64(among-2))
	return nil
}
