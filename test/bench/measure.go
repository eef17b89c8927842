package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
)

// RunFigures are what one run measured.
type RunFigures struct {
	// Workers are the concurrent reconciles per kind (the floor's: its writers).
	Workers map[Kind]int `json:"workers"`
	// Objects counts the workload's objects per kind.
	Objects map[Kind]int `json:"objects"`
	// Converged says whether every object became Ready before the timeout.
	Converged bool `json:"converged"`
	// ApplySeconds is how long creating the objects took.
	ApplySeconds float64 `json:"applySeconds"`
	// WallSeconds is from the first create to the last object Ready.
	WallSeconds float64 `json:"wallSeconds"`
	// SettledSeconds is from the first create to the last object settled
	// (Ready, and a Customer's agreement recorded); the idle watch starts then.
	SettledSeconds float64 `json:"settledSeconds"`
	// TimeToReady is per object, from its create request to its first Ready=True.
	TimeToReady Latencies `json:"timeToReady"`
	// TimeToReadyByKind splits TimeToReady per kind.
	TimeToReadyByKind map[Kind]Latencies `json:"timeToReadyByKind"`
	// APIServerCPUSeconds is the kube-apiserver's CPU time while converging.
	APIServerCPUSeconds float64 `json:"apiServerCPUSeconds"`
	// MachineCPU is how busy the whole machine was while converging: every
	// process of the run (kube-apiserver, etcd, manager, simulator, harness)
	// shares its cores, so a share near 1 means the run was CPU-bound.
	MachineCPU *MachineCPU `json:"machineCPU,omitempty"`
	// API is the measured user's API-server requests while converging (audit log).
	API RequestCounts `json:"apiRequests"`
	// Reconciles counts controller_runtime_reconcile_total per kind while converging.
	Reconciles map[Kind]float64 `json:"reconciles,omitempty"`
	// PartnerCenter counts simulator calls per operation while converging.
	PartnerCenter map[string]int `json:"partnerCenterCalls,omitempty"`
	// PartnerCenterTotal sums PartnerCenter.
	PartnerCenterTotal int `json:"partnerCenterTotal,omitempty"`
	// PartnerCenterMinimal is the minimal number of calls for this workload.
	PartnerCenterMinimal int `json:"partnerCenterMinimal,omitempty"`
	// Throttled429 counts 429 answers the manager's client received.
	Throttled429 float64 `json:"throttled429,omitempty"`
	// AtConvergence and AtEnd are the manager's footprint then (end: after the idle watch).
	AtConvergence *Footprint `json:"atConvergence,omitempty"`
	AtEnd         *Footprint `json:"atEnd,omitempty"`
	// HeapLiveBytes is the heap live at the last GC (go_gc_heap_live_bytes) at
	// the end: what the objects held really take, free of GC timing.
	HeapLiveBytes float64 `json:"heapLiveBytes,omitempty"`
	// HeapInuseBytes is go_memstats_heap_inuse_bytes at the end.
	HeapInuseBytes float64 `json:"heapInuseBytes,omitempty"`
	// Idle is the watch of the converged system.
	Idle *IdleFigures `json:"idle,omitempty"`
	// Throttle holds the throttled run's correctness checks.
	Throttle *ThrottleChecks `json:"throttle,omitempty"`
}

// IdleFigures are what the converged manager did while nothing changed.
type IdleFigures struct {
	// Seconds is the length of the watch.
	Seconds float64 `json:"seconds"`
	// API is the manager's API-server requests in the window.
	API RequestCounts `json:"apiRequests"`
	// PartnerCenterCalls counts simulator calls in the window.
	PartnerCenterCalls int `json:"partnerCenterCalls"`
	// PartnerCenterByOperation splits PartnerCenterCalls per operation.
	PartnerCenterByOperation map[string]int `json:"partnerCenterByOperation,omitempty"`
	// PartnerCenterTarget is objects × window ÷ resync period.
	PartnerCenterTarget float64 `json:"partnerCenterTarget"`
	// Reconciles counts reconciles in the window.
	Reconciles float64 `json:"reconciles"`
}

// ThrottleChecks are the assertions of the throttled run.
type ThrottleChecks struct {
	// Violations counts calls that arrived before their Retry-After and
	// were sent knowing of the 429: a retry of a throttled call (same
	// MS-RequestId), or another call 10 ms or more after the 429 left.
	Violations int `json:"violations"`
	// ViolationDelays are, per violation, how long after the 429 that began
	// the caller's hold was answered the call arrived, in milliseconds.
	ViolationDelays []float64 `json:"violationDelaysMs,omitempty"`
	// OnTheirWay counts calls that arrived during a hold but were sent
	// before the manager can have read its 429: side by side with the
	// throttled one (reported, not a violation).
	OnTheirWay int `json:"onTheirWay"`
	// DuplicateCustomers counts customers created more than once.
	DuplicateCustomers int `json:"duplicateCustomers"`
	// DuplicateOrders counts orders placed more than once.
	DuplicateOrders int `json:"duplicateOrders"`
}

// Passed reports whether every check holds (nil: no throttled run).
func (t *ThrottleChecks) Passed() bool {
	return t == nil || (t.Violations == 0 && t.DuplicateCustomers == 0 && t.DuplicateOrders == 0)
}

// newScheme is the scheme of this API plus the built-in kinds.
func newScheme() *runtime.Scheme {
	s := runtime.NewScheme()
	_ = clientgoscheme.AddToScheme(s)
	_ = v1alpha1.AddToScheme(s)
	return s
}

// plane is a fresh control plane with the bench namespace and the harness's client.
type plane struct {
	*ControlPlane
	// kube is the harness's own (unaudited) client.
	kube client.Client
}

// newPlane starts a control plane under dir and creates the bench namespace.
func newPlane(o Options, dir string) (*plane, error) {
	cp, err := StartControlPlane(o.Root, dir)
	if err != nil {
		return nil, err
	}
	kube, err := client.New(cp.Admin, client.Options{Scheme: newScheme()})
	if err == nil {
		err = kube.Create(context.Background(), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: benchNamespace}})
	}
	if err != nil {
		return nil, errors.Join(err, cp.Stop())
	}
	return &plane{ControlPlane: cp, kube: kube}, nil
}

// measureManager runs n onboardings through the real manager.
func measureManager(o Options, n int, simOpts SimOptions, dir string) (_ *RunFigures, err error) {
	p, err := newPlane(o, dir)
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, p.Stop()) }()
	sim, err := StartSimulator(o.SimBin, dir, simOpts)
	if err != nil {
		return nil, err
	}
	defer sim.Stop()
	mgr, err := startManagerFor(o, p, sim, dir)
	if err != nil {
		return nil, err
	}
	defer mgr.Stop()
	fig := &RunFigures{}
	if fig.Workers, err = detectControllers(mgr); err != nil {
		return nil, err
	}
	w := NewWorkload(n, o.LastApplied)
	fmt.Fprintf(os.Stderr, "bench: manager workers %v; %d objects\n", fig.Workers, len(w.Objects))
	window, err := converge(o, p, w, fig, nil, mgr.Exited())
	if err != nil {
		return nil, err
	}
	if mgr.proc.exited() {
		return nil, fmt.Errorf("the manager exited while converging (see %s)", filepath.Join(dir, "manager.log"))
	}
	if err := fig.managerFigures(mgr, sim, w); err != nil {
		return nil, err
	}
	idle, err := watchIdle(o, mgr, sim, w, fig)
	if err != nil {
		return nil, err
	}
	counts, err := CountRequests(p.AuditLog, userManager, window, idle)
	if err != nil {
		return nil, err
	}
	fig.API, fig.Idle.API = counts[0], counts[1]
	if simOpts.ThrottleRate > 0 {
		fig.Throttle, err = throttleChecks(sim)
	}
	return fig, err
}

// startManagerFor starts the manager with the simulator's credentials and
// the audited manager user's kubeconfig.
func startManagerFor(o Options, p *plane, sim *Simulator, dir string) (*Manager, error) {
	creds := filepath.Join(dir, "credentials")
	if err := sim.WriteCredentials(creds); err != nil {
		return nil, err
	}
	kubeconfig, err := p.KubeConfig(userManager)
	if err != nil {
		return nil, err
	}
	return StartManager(ManagerOptions{Binary: o.ManagerBin, KubeConfig: kubeconfig, SimulatorURL: sim.URL,
		CredentialsDir: creds, LogDir: dir, Args: o.ManagerArgs, Env: o.ManagerEnv})
}

// throttleChecks reads the throttled run's correctness figures from the simulator.
func throttleChecks(sim *Simulator) (*ThrottleChecks, error) {
	violations, delays, onTheirWay, err := sim.ThrottleViolations()
	if err != nil {
		return nil, err
	}
	checks := &ThrottleChecks{Violations: violations, OnTheirWay: onTheirWay}
	for _, d := range delays {
		checks.ViolationDelays = append(checks.ViolationDelays, float64(d.Microseconds())/1000)
	}
	checks.DuplicateCustomers, checks.DuplicateOrders, err = sim.Duplicates()
	return checks, err
}

// detectControllers waits for the manager's controllers to start and reads
// how many workers each kind has; every kind of an onboarding must have one.
func detectControllers(m *Manager) (map[Kind]int, error) {
	const metric = "controller_runtime_max_concurrent_reconciles"
	var ms Metrics
	err := waitFor(func() error {
		var err error
		if ms, err = m.Metrics(); err == nil && len(ms.LabelValues(metric, "controller")) == 0 {
			err = errors.New("no controller started yet")
		}
		return err
	}, time.Minute)
	if err != nil {
		return nil, err
	}
	time.Sleep(2 * time.Second) // the controllers start together; let the last one report
	if ms, err = m.Metrics(); err != nil {
		return nil, err
	}
	workers := map[Kind]int{}
	for _, k := range allKinds {
		v := ms.Sum(metric, map[string]string{"controller": string(k)})
		if v == 0 {
			return nil, fmt.Errorf("the manager does not reconcile %s (controllers: %v)", k, ms.LabelValues(metric, "controller"))
		}
		workers[k] = int(v)
	}
	return workers, nil
}

// converge applies the workload and waits until every object is settled;
// it returns the convergence window (first create to last settled object).
// created, if set, is called for every object once it exists; abort ends
// the wait early (the manager died).
func converge(o Options, plane *plane, w *Workload, fig *RunFigures, created func(client.Object), abort <-chan struct{}) (Window, error) {
	r, err := WatchReadiness(plane.Admin, newScheme(), w)
	if err != nil {
		return Window{}, err
	}
	defer r.Stop()
	fig.Objects = map[Kind]int{}
	for _, k := range allKinds {
		fig.Objects[k] = w.count(k)
	}
	if err := WarmUp(context.Background(), plane.kube, w); err != nil {
		return Window{}, err
	}
	cpuBefore, err := plane.APIServerCPUSeconds()
	if err != nil {
		return Window{}, err
	}
	machineBusyBefore, machineTotalBefore, err := machineCPUTimes()
	if err != nil {
		return Window{}, err
	}
	profiled := plane.profileCPU(o.APIServerProfile)
	defer func() {
		if perr := profiled(); perr != nil {
			fmt.Fprintln(os.Stderr, "bench: kube-apiserver profile:", perr)
		}
	}()
	start := time.Now()
	if err := Apply(context.Background(), plane.kube, w.Objects, o.Parallel, r, created); err != nil {
		return Window{}, err
	}
	fig.ApplySeconds = time.Since(start).Seconds()
	fig.Converged = r.Wait(o.Timeout, abort)
	end := time.Now()
	fig.TimeToReady, fig.TimeToReadyByKind = r.Latencies()
	fig.WallSeconds = end.Sub(start).Seconds()
	if fig.Converged {
		fig.WallSeconds = fig.TimeToReady.LastReady.Sub(start).Seconds()
		end = fig.TimeToReady.LastSettled
	}
	fig.SettledSeconds = end.Sub(start).Seconds()
	cpuAfter, err := plane.APIServerCPUSeconds()
	if err != nil {
		return Window{}, err
	}
	fig.APIServerCPUSeconds = cpuAfter - cpuBefore
	if fig.MachineCPU, err = machineCPUSince(machineBusyBefore, machineTotalBefore); err != nil {
		return Window{}, err
	}
	fmt.Fprintf(os.Stderr, "bench: %d/%d objects Ready after %.1fs, settled after %.1fs\n", fig.TimeToReady.Ready, fig.TimeToReady.Of, fig.WallSeconds, fig.SettledSeconds)
	// The window closes just after the last settled object: the requests that produced it are in.
	return Window{From: start, To: end.Add(time.Millisecond)}, nil
}

// managerFigures reads the manager's metrics, footprint and the simulator's
// counters at convergence.
func (fig *RunFigures) managerFigures(m *Manager, sim *Simulator, w *Workload) error {
	ms, err := m.Metrics()
	if err != nil {
		return err
	}
	fig.Reconciles = reconciles(ms)
	fig.Throttled429 = ms.Sum("partnercenter_throttled_requests_total", nil)
	fp, err := m.Footprint()
	if err != nil {
		return err
	}
	fig.AtConvergence = &fp
	if fig.PartnerCenter, err = sim.Calls(); err != nil {
		return err
	}
	fig.PartnerCenterTotal = total(fig.PartnerCenter)
	fig.PartnerCenterMinimal = minimalPartnerCenterCalls.perOnboarding*w.N + minimalPartnerCenterCalls.perReseller*w.resellers()
	return nil
}

// reconciles reads controller_runtime_reconcile_total per kind.
func reconciles(ms Metrics) map[Kind]float64 {
	out := map[Kind]float64{}
	for _, k := range allKinds {
		out[k] = ms.Sum("controller_runtime_reconcile_total", map[string]string{"controller": string(k)})
	}
	return out
}

// total sums a counter map.
func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// watchIdle watches the converged manager for o.Idle and returns the window.
func watchIdle(o Options, m *Manager, sim *Simulator, w *Workload, fig *RunFigures) (Window, error) {
	from := time.Now()
	time.Sleep(o.Idle)
	to := time.Now()
	calls, err := sim.Calls()
	if err != nil {
		return Window{}, err
	}
	ms, err := m.Metrics()
	if err != nil {
		return Window{}, err
	}
	fp, err := m.Footprint()
	if err != nil {
		return Window{}, err
	}
	fig.AtEnd = &fp
	fig.HeapLiveBytes = ms.Sum("go_gc_heap_live_bytes", nil)
	fig.HeapInuseBytes = ms.Sum("go_memstats_heap_inuse_bytes", nil)
	after := reconciles(ms)
	fig.Idle = &IdleFigures{
		Seconds:             to.Sub(from).Seconds(),
		PartnerCenterCalls:  total(calls) - fig.PartnerCenterTotal,
		PartnerCenterTarget: float64(len(w.Objects)) * to.Sub(from).Seconds() / resyncPeriod(o.ManagerArgs).Seconds(),
	}
	for k, v := range after {
		fig.Idle.Reconciles += v - fig.Reconciles[k]
	}
	fig.Idle.PartnerCenterByOperation = map[string]int{}
	for op, n := range calls {
		if d := n - fig.PartnerCenter[op]; d > 0 {
			fig.Idle.PartnerCenterByOperation[op] = d
		}
	}
	return Window{From: from, To: to}, nil
}

// resyncPeriod is the --resync-period among the manager flags (default 24h, the manager's).
func resyncPeriod(args []string) time.Duration {
	d := 24 * time.Hour
	for _, a := range args {
		var v string
		if n, _ := fmt.Sscanf(a, "--resync-period=%s", &v); n == 1 {
			if p, err := time.ParseDuration(v); err == nil {
				d = p
			}
		}
	}
	return d
}

// measureFloor does the floor's writes for the manager run's workload on a
// fresh control plane, with as many writers as the manager had workers.
func measureFloor(o Options, mgr *RunFigures, dir string) (_ *RunFigures, err error) {
	p, err := newPlane(o, dir)
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, p.Stop()) }()
	floorCfg, err := p.User(userFloor)
	if err != nil {
		return nil, err
	}
	floorClient, err := client.New(floorCfg, client.Options{Scheme: newScheme()})
	if err != nil {
		return nil, err
	}
	w := NewWorkload(o.N, o.LastApplied)
	workers := 0
	for _, n := range mgr.Workers {
		workers += n
	}
	fig := &RunFigures{Workers: map[Kind]int{"writers": workers}}
	f := newFloorRunner(context.Background(), floorClient, workers, len(w.Objects))
	window, err := converge(o, p, w, fig, f.enqueue, nil)
	if err := errors.Join(err, f.finish()); err != nil {
		return nil, err
	}
	counts, err := CountRequests(p.AuditLog, userFloor, window)
	if err != nil {
		return nil, err
	}
	fig.API = counts[0]
	return fig, nil
}
