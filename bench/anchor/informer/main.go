// Command informer is the client-go anchor of bench/informer-anchor.bench.ts: it syncs one SharedInformerFactory
// ConfigMap informer against $KUBECONFIG and prints one JSON line with the time from client construction to
// synced, the CPU time this process spent in it, the object count, and the resident set size and live heap after
// a GC.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
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
}

func main() {
	namespace := flag.String("namespace", "", "namespace to watch (empty: all)")
	flag.Parse()
	config, err := clientcmd.BuildConfigFromFlags("", os.Getenv("KUBECONFIG"))
	if err != nil {
		fail(err)
	}
	// No client-side throttling: one list and one watch are all this program sends.
	config.QPS = -1
	client, err := kubernetes.NewForConfig(config)
	if err != nil {
		fail(err)
	}
	base := rssAfterGC()
	baseHeap := heapInUse()
	cpuBefore := cpuTime()
	started := time.Now()
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
