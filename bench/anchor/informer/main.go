// Command informer is the client-go anchor of bench/informer-anchor.bench.ts: it syncs one SharedInformerFactory
// ConfigMap informer against $KUBECONFIG and prints one JSON line with the time from client construction to
// synced, the CPU time this process spent in it, the object count, and the resident set size and live heap after
// a GC. -content-type=json (the default) makes it speak JSON as operator-ts does; -content-type=protobuf keeps what
// client-go v1.32 asks for built-in kinds when no content type is set. -timeline adds each request's moments.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/clientcmd"
)

type result struct {
	SyncMs       float64 `json:"syncMs"`
	CPUMs        float64 `json:"cpuMs"`
	Objects      int     `json:"objects"`
	RssBytes     int64   `json:"rssBytes"`
	BaseRssBytes int64   `json:"baseRssBytes"`
	HeapBytes    uint64  `json:"heapBytes"`
	BaseHeap     uint64  `json:"baseHeapBytes"`
	// Timeline is set with -timeline: one entry per request, in milliseconds since the sync clock started.
	Timeline []*exchange `json:"timeline,omitempty"`
}

// exchange is one request as the client saw it: when it was handed to the transport, when the response headers,
// the first and the last body byte arrived (after the transport's transparent gzip decoding, if any), and how.
type exchange struct {
	Request      string   `json:"request"`
	Proto        string   `json:"proto"`
	Gzip         bool     `json:"gzip"`
	Accept       string   `json:"accept"`
	UserAgent    string   `json:"userAgent"`
	SentMs       float64  `json:"sentMs"`
	HeadersMs    float64  `json:"headersMs"`
	FirstByteMs  *float64 `json:"firstByteMs,omitempty"`
	LastByteMs   *float64 `json:"lastByteMs,omitempty"`
	Bytes        int64    `json:"bytes"`
	ReadCalls    int      `json:"readCalls"`
	BodyClosedMs *float64 `json:"bodyClosedMs,omitempty"`
}

// timeline records every request's exchange; a watch's body stays open, so its last byte never comes.
type timeline struct {
	mu        sync.Mutex
	started   time.Time
	exchanges []*exchange
}

func (t *timeline) since() float64 { return float64(time.Since(t.started).Microseconds()) / 1000 }

func (t *timeline) wrap(rt http.RoundTripper) http.RoundTripper {
	return roundTripperFunc(func(req *http.Request) (*http.Response, error) {
		e := &exchange{Request: req.Method + " " + req.URL.RequestURI(), Accept: req.Header.Get("Accept"), UserAgent: req.Header.Get("User-Agent"), SentMs: t.since()}
		t.mu.Lock()
		t.exchanges = append(t.exchanges, e)
		t.mu.Unlock()
		resp, err := rt.RoundTrip(req)
		e.HeadersMs = t.since()
		if err != nil {
			return resp, err
		}
		e.Proto = resp.Proto
		e.Gzip = resp.Uncompressed
		resp.Body = &timedBody{ReadCloser: resp.Body, t: t, e: e}
		return resp, nil
	})
}

type roundTripperFunc func(*http.Request) (*http.Response, error)

func (f roundTripperFunc) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }

type timedBody struct {
	io.ReadCloser
	t *timeline
	e *exchange
}

func (b *timedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.t.mu.Lock()
	defer b.t.mu.Unlock()
	b.e.ReadCalls++
	if n > 0 && b.e.FirstByteMs == nil {
		ms := b.t.since()
		b.e.FirstByteMs = &ms
	}
	b.e.Bytes += int64(n)
	if err == io.EOF && b.e.LastByteMs == nil {
		ms := b.t.since()
		b.e.LastByteMs = &ms
	}
	return n, err
}

func (b *timedBody) Close() error {
	b.t.mu.Lock()
	defer b.t.mu.Unlock()
	if b.e.BodyClosedMs == nil {
		ms := b.t.since()
		b.e.BodyClosedMs = &ms
	}
	return b.ReadCloser.Close()
}

func main() {
	namespace := flag.String("namespace", "", "namespace to watch (empty: all)")
	contentType := flag.String("content-type", "json", "json: the anchor speaks JSON as operator-ts does; protobuf: client-go v1.32's default for built-in kinds")
	withTimeline := flag.Bool("timeline", false, "add each request's timeline to the JSON line")
	flag.Parse()
	tl := &timeline{}
	config, err := clientcmd.BuildConfigFromFlags("", os.Getenv("KUBECONFIG"))
	if err != nil {
		fail(err)
	}
	// No client-side throttling: one list and one watch are all this program sends.
	config.QPS = -1
	switch *contentType {
	case "json":
		// Set explicitly: since v1.32 a typed client asks for protobuf when no content type is configured.
		config.ContentType = "application/json"
	case "protobuf":
	default:
		fail(fmt.Errorf("-content-type=%s: expected json or protobuf", *contentType))
	}
	if *withTimeline {
		config.Wrap(tl.wrap)
	}
	client, err := kubernetes.NewForConfig(config)
	if err != nil {
		fail(err)
	}
	base := rssAfterGC()
	baseHeap := heapInUse()
	cpuBefore := cpuTime()
	started := time.Now()
	tl.started = started
	factory := informers.NewSharedInformerFactoryWithOptions(client, 0, informers.WithNamespace(*namespace))
	informer := factory.Core().V1().ConfigMaps().Informer()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	factory.Start(ctx.Done())
	if !cache.WaitForCacheSync(ctx.Done(), informer.HasSynced) {
		fail(fmt.Errorf("cache did not sync"))
	}
	elapsed := time.Since(started)
	cpu := cpuTime() - cpuBefore
	out := result{SyncMs: float64(elapsed.Microseconds()) / 1000, CPUMs: float64(cpu.Microseconds()) / 1000, Objects: len(informer.GetStore().ListKeys()), RssBytes: rssAfterGC(), BaseRssBytes: base}
	out.HeapBytes = heapInUse()
	out.BaseHeap = baseHeap
	// The watch's body is still being read: hold the lock while its exchange is encoded.
	tl.mu.Lock()
	defer tl.mu.Unlock()
	if *withTimeline {
		out.Timeline = tl.exchanges
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fail(err)
	}
}

// cpuTime is the user plus system CPU time this process has used so far.
func cpuTime() time.Duration {
	var usage syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &usage); err != nil {
		fail(err)
	}
	return time.Duration(usage.Utime.Nano() + usage.Stime.Nano())
}

// heapInUse is the bytes of live heap objects; called after rssAfterGC, so after a full collection.
func heapInUse() uint64 {
	var stats runtime.MemStats
	runtime.ReadMemStats(&stats)
	return stats.HeapAlloc
}

// rssAfterGC returns VmRSS from /proc/self/status after a full collection that returns freed memory to the OS.
func rssAfterGC() int64 {
	runtime.GC()
	debug.FreeOSMemory()
	f, err := os.Open("/proc/self/status")
	if err != nil {
		fail(err)
	}
	defer f.Close()
	scanner := bufio.NewScanner(f)
	for scanner.Scan() {
		fields := strings.Fields(scanner.Text())
		if len(fields) >= 2 && fields[0] == "VmRSS:" {
			kib, err := strconv.ParseInt(fields[1], 10, 64)
			if err != nil {
				fail(err)
			}
			return kib * 1024
		}
	}
	fail(fmt.Errorf("no VmRSS line in /proc/self/status"))
	return 0
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "anchor:", err)
	os.Exit(1)
}
