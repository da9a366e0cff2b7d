// Command word2vec trains the skip-gram word embeddings of Géron's chapter
// 14 notebook ("Word Embeddings") in gorgoflow, with the notebook's graph
// line for line: a vocabulary of up to 50,000 words (all the corpus's
// distinct words when it has fewer), embeddings of 150 initialized
// uniformly in [-1, 1], batches of 128 pairs from generate_batch, and
// tf.nn.nce_loss with 64 sampled classes.
//
// Nothing is downloaded. The default corpus is the King James Bible
// (790,000 words, 12,600 distinct), which comes with Debian's bible-kjv
// package; run.sh beside this file installs it when it is missing:
//
//	examples/word2vec/run.sh                        # the default run
//	examples/word2vec/run.sh -png embeddings.png    # and the figure
//	examples/word2vec/run.sh -notebook              # the notebook's own run
//	go run ./examples/word2vec -corpus go -probes function,error,slice
//	go run ./examples/word2vec -corpus book.txt -probes ...
//
// -corpus go trains on the comments and documentation of the Go
// distribution instead (3 million words about programming, whose
// vocabulary fills with code identifiers), and a path on the words of a
// text file or of a directory of .txt files.
//
// # How it trains, and why not as the notebook
//
// The notebook trains with AdamOptimizer(0.01) for 10,001 steps on text8
// (17 million words); -notebook does the same here (-optimizer adam -lr
// 0.01 -skipwindow 1 -numskips 2 -subsample 0 -steps 10001). On the KJV,
// 20 times smaller, with 7,266 of its 12,543 words seen at most 4 times,
// that gives noise: TF 1.x's Adam (AdamOptimizer._apply_sparse, which this
// port follows: TestSkipGramAdamMatchesReference) moves a row by
// lr*(1-beta1)/sqrt(1-beta2) = 3.2*lr in every coordinate at the first
// gradient it gets after a while unused, and keeps moving it for some ten
// steps after, whatever the size of the gradient; so a word seen a few
// dozen times is thrown along the signs of its few gradients, and rare
// words land near the probes by chance: after the notebook's 10,001 steps
// sisera (21 occurrences), manoah (18), arphaxad (10) and the like are
// among the nearest words of the probes (-mincount 10). At Adam's own
// default rate, 0.001, the steps are 10 times smaller and after 20,000
// steps (33 ms each on a loaded machine) the nearest words are frequent
// words without sense.
//
// By default it therefore trains as TF's own word2vec tutorials do:
// GradientDescentOptimizer(1.0) as word2vec_basic.py (which updates only
// the rows a batch uses), subsampling of frequent words as
// tutorials/embedding/word2vec.py's skipgram op (its default 1e-3: a word
// of count f among N is kept with probability (sqrt(f/(1e-3 N)) + 1)
// 1e-3 N / f, so "the" is read one time in 8), and a skip window of 2 with
// 4 skips (word2vec.py reads up to 5 words each side), for 400,001 steps
// (16 passes over the pairs; word2vec_basic.py trains 100,001 steps on
// text8), which cost less than the notebook's 10,001 steps of Adam, whose
// dense update of two 12,544 x 150 matrices SGD does not do.
//
// # What it prints
//
// Every 10,000 steps (2,000 in runs of at most 100,001 steps, as the
// notebook) it prints the average loss, and every 100,000 (10,000) and at
// the end the 8 nearest words of the probe words, by cosine similarity of
// the normalized embeddings, searched among the words the corpus has at
// least -mincount times (10 by default; 1 for all; TF's tutorial searches
// among text8's 50,000 most frequent words). Then the
// words that are among the nearest of 3 or more probes (hubs: a sign of
// embeddings without sense), and (-baseline, on by default) the nearest
// words of an independent count-based model of the same word pairs, their
// positive pointwise mutual information reduced by a truncated SVD to 150
// dimensions (Levy, Goldberg and Dagan, 2015), with how many of the
// skip-gram's nearest words are among the baseline's 8 and 50 nearest,
// against the number expected by chance. With -png it draws the
// notebook's figure: a 2-D t-SNE (computed in Go; -projection pca for
// PCA) of the 500 most frequent words.
//
// On the KJV the default run took 7 min 1 s of training (1.1 ms a step),
// 51 s for the baseline and 9 s for the t-SNE, at a load of 20 on a
// shared 2-core machine; the average loss fell from 221.8 to 4.2-4.3, and
// the nearest words make sense (king: kings, lord, master, darius,
// pharaoh, governor; water: fire, wells, wilderness, poured, blood, rain;
// three: two, six, seven, five, eight, four), 28 of the 96 among the
// baseline's 8 nearest (0.2 by chance) and 50 among its 50 nearest (1.4).
// The -notebook run at the same load (47.5 ms a step, 7 min 55 s): loss
// 221.8 to 7.6, 10 and 20 of 96, rare names (sisera, manoah, arphaxad)
// among the nearest words. README quotes both runs.
package main

import (
	"cmp"
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
	lossEvery    int     // 0: 2,000 (10,000 beyond 100,001 steps)
	nearestEvery int     // 0: 10,000 (100,000 beyond 100,001 steps)
	minCount     int     // neighbours are words seen at least this often
	learningRate float64 // 0: the optimizer's default (Adam 0.01, SGD 1.0)
	skipWindow   int
	numSkips     int
	subsample    float64 // TF's skipgram op's subsample threshold; 0: none
	baseline     bool    // print the PPMI-SVD baseline's neighbours too
}

// defaultProbes are the probe words of each named corpus.
var defaultProbes = map[string]string{
	"kjv": "king,god,son,water,said,three,day,israel,gold,house,sword,brought",
	"go":  "function,value,error,file,returns,string,slice,goroutine,if,zero",
}

// defaults is the configuration of a run without flags: the notebook's
// model trained with the optimizer of TF's word2vec_basic.py and the
// subsampling and wider window of its word2vec.py (see the package doc).
func defaults() config {
	return config{corpus: "kjv", steps: 400001, vocab: 50000, plotWords: 500, projection: "tsne",
		optimizer: "sgd", seed: 42, minCount: 10, baseline: true,
		skipWindow: 2, numSkips: 4, subsample: 1e-3}
}

// notebook sets what differs in the notebook's own run: Adam(0.01), skip
// window 1 with 2 skips, no subsampling, 10,001 steps.
func (c *config) notebook() {
	c.optimizer, c.learningRate, c.skipWindow, c.numSkips, c.subsample, c.steps = "adam", 0.01, 1, 2, 0, 10001
}

func main() {
	log.SetFlags(0)
	cfg := defaults()
	flag.StringVar(&cfg.corpus, "corpus", cfg.corpus, `the corpus: "kjv" (the King James Bible of Debian's bible-kjv), "go" (the comments and docs under $(go env GOROOT)), or a text file or directory of .txt files`)
	flag.IntVar(&cfg.steps, "steps", cfg.steps, "training steps (the notebook's num_steps: 10,001)")
	flag.IntVar(&cfg.vocab, "vocab", cfg.vocab, "vocabulary size: UNK and the most frequent words (capped at the corpus's distinct words)")
	probes := flag.String("probes", "", "comma-separated words whose nearest neighbours are printed (default: a dozen for kjv or go)")
	flag.StringVar(&cfg.png, "png", "", "write the 2-D projection of the most frequent words to this PNG")
	flag.IntVar(&cfg.plotWords, "plot", cfg.plotWords, "how many of the most frequent words the PNG shows (the notebook's plot_only)")
	flag.StringVar(&cfg.optimizer, "optimizer", cfg.optimizer, `"sgd": TF's word2vec_basic.py tutorial's GradientDescentOptimizer(1.0), which updates only the rows a batch uses; "adam": the notebook's AdamOptimizer(0.01)`)
	flag.Float64Var(&cfg.learningRate, "lr", 0, "learning rate (0: 1.0 for sgd as word2vec_basic.py, 0.01 for adam as the notebook)")
	flag.IntVar(&cfg.skipWindow, "skipwindow", cfg.skipWindow, "how many words to consider left and right (the notebook's skip_window: 1)")
	flag.IntVar(&cfg.numSkips, "numskips", cfg.numSkips, "how many times to reuse an input to generate a label (the notebook's num_skips: 2)")
	flag.Float64Var(&cfg.subsample, "subsample", cfg.subsample, "threshold for subsampling frequent words, as TF's word2vec.py (its default 1e-3; 0: none, as the notebook)")
	notebook := flag.Bool("notebook", false, "the notebook's own run: -optimizer adam -lr 0.01 -skipwindow 1 -numskips 2 -subsample 0 -steps 10001 (flags given as well override these)")
	flag.StringVar(&cfg.projection, "projection", cfg.projection, `the PNG's projection to 2-D: "tsne" (the notebook's: perplexity 30, 1,000 iterations) or "pca"`)
	flag.Int64Var(&cfg.seed, "seed", cfg.seed, "random seed")
	flag.IntVar(&cfg.minCount, "mincount", cfg.minCount, "the nearest words are searched among the words the corpus has at least this many times (1: all)")
	flag.BoolVar(&cfg.baseline, "baseline", cfg.baseline, "also print the nearest words by an independent count-based model (PPMI of the same word pairs, reduced by SVD to the embeddings' size) and how many the two share")
	flag.Parse()
	if *notebook {
		given := map[string]bool{}
		flag.Visit(func(f *flag.Flag) { given[f.Name] = true })
		nb := cfg
		nb.notebook()
		for name, set := range map[string]func(){
			"optimizer": func() { cfg.optimizer = nb.optimizer }, "lr": func() { cfg.learningRate = nb.learningRate },
			"skipwindow": func() { cfg.skipWindow = nb.skipWindow }, "numskips": func() { cfg.numSkips = nb.numSkips },
			"subsample": func() { cfg.subsample = nb.subsample }, "steps": func() { cfg.steps = nb.steps },
		} {
			if !given[name] {
				set()
			}
		}
	}
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
		numSampled    = 64
	)
	skipWindow, numSkips := cfg.skipWindow, cfg.numSkips
	// The notebook prints the loss every 2,000 steps and the nearest
	// words every 10,000; longer runs print less often.
	lossEvery, nearestEvery := cmp.Or(cfg.lossEvery, 2000), cmp.Or(cfg.nearestEvery, 10000)
	if cfg.steps > 100001 {
		lossEvery, nearestEvery = cmp.Or(cfg.lossEvery, 10000), cmp.Or(cfg.nearestEvery, 100000)
	}
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
	var lr float64
	switch cfg.optimizer {
	case "adam":
		lr = cmp.Or(cfg.learningRate, 0.01)
		optimizer = train.NewAdamOptimizer(lr)
	case "sgd":
		lr = cmp.Or(cfg.learningRate, 1.0)
		optimizer = train.NewGradientDescentOptimizer(lr)
	default:
		return fmt.Errorf("-optimizer %q: want adam or sgd", cfg.optimizer)
	}
	fmt.Fprintf(out, "training: %s(%g), skip window %d, %d skips, subsample %g, %d steps\n",
		cfg.optimizer, lr, skipWindow, numSkips, cfg.subsample, cfg.steps)
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
	b.Subsample(d.Counts, cfg.subsample)
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
		l := res[1].Float64s()[0]
		if math.IsNaN(l) || math.IsInf(l, 0) {
			return fmt.Errorf("the loss is %v at step %d: training diverged (%s(%g)); try a smaller -lr", l, step, cfg.optimizer, lr)
		}
		averageLoss += l
		if step%lossEvery == 0 {
			if step > 0 {
				averageLoss /= float64(lossEvery)
			}
			// The average loss is an estimate of the loss over the last lossEvery batches.
			fmt.Fprintf(out, "Average loss at step %d: %.4f  (%s)\n", step, averageLoss, time.Since(trainStart).Round(time.Second))
			averageLoss = 0
		}
		if step%nearestEvery == 0 || step == cfg.steps-1 {
			if err := printNearest(); err != nil {
				return err
			}
		}
	}
	fmt.Fprintf(out, "trained %d steps in %s (%.1f ms a step; %.1f passes over the corpus's pairs)\n",
		cfg.steps, time.Since(trainStart).Round(time.Second),
		float64(time.Since(trainStart).Milliseconds())/float64(max(cfg.steps, 1)),
		float64(cfg.steps)*batchSize/float64(numSkips*len(d.Data)))
	printHubs(out, validExamples, lastNearest)
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

// printHubs prints the words that are among the nearest words of three or
// more probes: "hubs", near everything, the sign of embeddings that are
// not yet (or no longer) meaningful (for example rare words moved far by
// a few large steps).
func printHubs(out io.Writer, probes []int32, nearest map[int32][]string) {
	if len(probes) < 3 {
		return
	}
	count := map[string]int{}
	var order []string
	for _, p := range probes {
		for _, w := range nearest[p] {
			if count[w]++; count[w] == 3 {
				order = append(order, w)
			}
		}
	}
	var hubs []string
	for _, w := range order {
		hubs = append(hubs, fmt.Sprintf("%s (%d)", w, count[w]))
	}
	if len(hubs) == 0 {
		hubs = []string{"none"}
	}
	fmt.Fprintf(out, "words among the nearest of 3 or more of the %d probes: %s\n", len(probes), strings.Join(hubs, ", "))
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
	const wide = 50
	shared, inWide, total, candidates := 0, 0, 0, among-2
	for _, w := range probes {
		if int(w) >= among {
			fmt.Fprintf(out, "PPMI-SVD nearest to %s: (seen fewer than %d times)\n", d.Reverse[w], cfg.minCount)
			continue
		}
		row := d.Candidates(p.Similarities(int(w)), cfg.minCount)
		base := skipgram.Nearest(row, d.Reverse, int(w), wide)
		rank := map[string]int{}
		for i, x := range base {
			rank[x] = i
		}
		n, nw := 0, 0
		for _, x := range nearest[w] {
			if r, ok := rank[x]; ok {
				nw++
				if r < 8 {
					n++
				}
			}
		}
		shared += n
		inWide += nw
		total += len(nearest[w])
		fmt.Fprintf(out, "PPMI-SVD nearest to %s: %s  (shares %d; %d of the skip-gram's %d are in its %d nearest)\n",
			d.Reverse[w], strings.Join(base[:min(8, len(base))], ", "), n, nw, len(nearest[w]), wide)
	}
	// A list of 8 drawn at random from the candidates shares 8*k/candidates
	// on average with another list of k.
	fmt.Fprintf(out, "the skip-gram and the baseline share %d of their %d nearest words (%.1f expected by chance); %d of the skip-gram's %d are among the baseline's %d nearest (%.1f by chance)\n",
		shared, total, float64(total)*8/float64(candidates), inWide, total, wide, float64(total)*wide/float64(candidates))
	return nil
}
