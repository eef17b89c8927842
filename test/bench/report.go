package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"time"
)

// Result is one benchmark run as written to bench/results/<name>.json.
type Result struct {
	// Name is the run's name (n1000, n1000-throttled).
	Name string `json:"name"`
	// Date is when the run started.
	Date time.Time `json:"date"`
	// Machine describes where it ran.
	Machine Machine `json:"machine"`
	// N is the number of onboardings.
	N int `json:"n"`
	// ManagerArgs are the manager's extra flags; ManagerEnv its extra environment.
	ManagerArgs []string `json:"managerArgs"`
	ManagerEnv  []string `json:"managerEnv,omitempty"`
	// LastApplied: the objects carried kubectl's last-applied-configuration annotation.
	LastApplied bool `json:"lastApplied,omitempty"`
	// Manager and Floor are the two runs.
	Manager *RunFigures `json:"manager"`
	Floor   *RunFigures `json:"floor,omitempty"`
	// Ratios compare the manager with the floor.
	Ratios *Ratios `json:"ratios,omitempty"`
	// Rounds are the wall and kube-apiserver CPU times of every round
	// (-rounds), the first being Manager and Floor.
	Rounds []Round `json:"rounds,omitempty"`
	// Limits compares a run at the documented rate limits with its floor (-mode limits).
	Limits *LimitsFigures `json:"limits,omitempty"`
	// Scale holds the scale mode's figures (-mode scale).
	Scale *ScaleFigures `json:"scale,omitempty"`
}

// Round is one measurement of the manager and, right after it, the floor.
type Round struct {
	// ManagerConverged is false when the manager's round hit the timeout:
	// its wall time is then only a lower bound.
	ManagerConverged           bool    `json:"managerConverged"`
	ManagerWallSeconds         float64 `json:"managerWallSeconds"`
	FloorWallSeconds           float64 `json:"floorWallSeconds"`
	ManagerAPIServerCPUSeconds float64 `json:"managerAPIServerCPUSeconds"`
	FloorAPIServerCPUSeconds   float64 `json:"floorAPIServerCPUSeconds"`
	// ManagerMachineBusy and FloorMachineBusy are MachineCPU.Share of each run.
	ManagerMachineBusy float64 `json:"managerMachineBusy,omitempty"`
	FloorMachineBusy   float64 `json:"floorMachineBusy,omitempty"`
}

// WallRatio is the round's manager ÷ floor wall time.
func (r Round) WallRatio() float64 { return ratio(r.ManagerWallSeconds, r.FloorWallSeconds) }

// addRound records one round's times.
func (r *Result) addRound(m, f *RunFigures) {
	r.Rounds = append(r.Rounds, Round{
		ManagerConverged: m.Converged, ManagerWallSeconds: m.WallSeconds, FloorWallSeconds: f.WallSeconds,
		ManagerAPIServerCPUSeconds: m.APIServerCPUSeconds, FloorAPIServerCPUSeconds: f.APIServerCPUSeconds,
		ManagerMachineBusy: m.MachineCPU.share(), FloorMachineBusy: f.MachineCPU.share(),
	})
}

// median is the middle value (the mean of the two middle ones for an even count), 0 for none.
func median(values []float64) float64 {
	if len(values) == 0 {
		return 0
	}
	v := slices.Sorted(slices.Values(values))
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

// Machine is the hardware and toolchain of a run.
type Machine struct {
	Cores     int    `json:"cores"`
	CPU       string `json:"cpu"`
	GoVersion string `json:"goVersion"`
	OS        string `json:"os"`
}

// Ratios are manager ÷ floor (Partner Center: ÷ minimal).
type Ratios struct {
	Wall float64 `json:"wall"`
	// WallMedian is the median of the rounds' wall-time ratios (-rounds > 1).
	WallMedian   float64 `json:"wallMedian,omitempty"`
	Settled      float64 `json:"settled"`
	P50          float64 `json:"p50"`
	P95          float64 `json:"p95"`
	APIWrites    float64 `json:"apiWrites"`
	ObjectWrites float64 `json:"objectWritesExcludingEvents"`
	APIRequests  float64 `json:"apiRequests"`
	APIServerCPU float64 `json:"apiServerCPU"`
	// MachineBusy compares the CPU time the whole machine was busy.
	MachineBusy   float64 `json:"machineBusy,omitempty"`
	PartnerCenter float64 `json:"partnerCenter"`
}

// newResult starts a result for a run.
func newResult(o Options, name string, n int) *Result {
	return &Result{Name: name, Date: time.Now().UTC().Truncate(time.Second), Machine: machine(), N: n, ManagerArgs: o.ManagerArgs, ManagerEnv: o.ManagerEnv, LastApplied: o.LastApplied}
}

// machine describes this machine.
func machine() Machine {
	m := Machine{Cores: runtime.NumCPU(), GoVersion: runtime.Version(), OS: runtime.GOOS + "/" + runtime.GOARCH}
	if raw, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(raw), "\n") {
			if name, ok := strings.CutPrefix(line, "model name"); ok {
				m.CPU = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(name), ":"))
				break
			}
		}
	}
	return m
}

// ratio is a ÷ b, 0 when b is 0.
func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// computeRatios fills Ratios from the two runs.
func (r *Result) computeRatios() {
	m, f := r.Manager, r.Floor
	r.Ratios = &Ratios{
		Wall:          ratio(m.WallSeconds, f.WallSeconds),
		Settled:       ratio(m.SettledSeconds, f.SettledSeconds),
		P50:           ratio(m.TimeToReady.P50Seconds, f.TimeToReady.P50Seconds),
		P95:           ratio(m.TimeToReady.P95Seconds, f.TimeToReady.P95Seconds),
		APIWrites:     ratio(float64(m.API.TotalWrites), float64(f.API.TotalWrites)),
		ObjectWrites:  ratio(float64(m.API.objectWrites()), float64(f.API.objectWrites())),
		APIRequests:   ratio(float64(m.API.Total), float64(f.API.Total)),
		APIServerCPU:  ratio(m.APIServerCPUSeconds, f.APIServerCPUSeconds),
		PartnerCenter: ratio(float64(m.PartnerCenterTotal), float64(m.PartnerCenterMinimal)),
	}
	if m.MachineCPU != nil && f.MachineCPU != nil {
		r.Ratios.MachineBusy = ratio(m.MachineCPU.BusySeconds, f.MachineCPU.BusySeconds)
	}
	if len(r.Rounds) > 1 {
		ratios := make([]float64, len(r.Rounds))
		for i, round := range r.Rounds {
			ratios[i] = round.WallRatio()
		}
		r.Ratios.WallMedian = median(ratios)
	}
}

// wallRatioCell is the wall-time ratio: the median and each round's when
// there were several rounds.
func (r *Result) wallRatioCell() string {
	if r.Ratios.WallMedian == 0 {
		return fmt.Sprintf("%.2f", r.Ratios.Wall)
	}
	each := make([]string, len(r.Rounds))
	for i, round := range r.Rounds {
		each[i] = fmt.Sprintf("%.2f", round.WallRatio())
	}
	return fmt.Sprintf("%.2f (median of %d rounds: %s)", r.Ratios.WallMedian, len(r.Rounds), strings.Join(each, ", "))
}

// write stores the result as JSON and markdown under dir.
func (r *Result) write(dir string) error {
	raw, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, r.Name+".json"), append(raw, '\n'), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, r.Name+".md"), []byte(r.Markdown()+"\n"), 0o644)
}

// mib formats bytes as MiB.
func mib(b float64) string { return fmt.Sprintf("%.1f MiB", b/(1<<20)) }

// table is a markdown table under construction.
type table struct{ b strings.Builder }

// row adds one row.
func (t *table) row(cells ...string) { t.b.WriteString("| " + strings.Join(cells, " | ") + " |\n") }

// Markdown renders the result as a markdown section.
func (r *Result) Markdown() string {
	m := r.Manager
	var t table
	fmt.Fprintf(&t.b, "### %s: %d onboardings (%s)\n\n", r.Name, r.N, r.Date.Format(time.RFC3339))
	fmt.Fprintf(&t.b, "Machine: %d cores, %s, %s. Manager flags: `%s`", r.Machine.Cores, r.Machine.CPU, r.Machine.GoVersion, strings.Join(r.ManagerArgs, " "))
	if len(r.ManagerEnv) > 0 {
		fmt.Fprintf(&t.b, ", environment: `%s`", strings.Join(r.ManagerEnv, " "))
	}
	t.b.WriteString(".\n")
	fmt.Fprintf(&t.b, "Objects: %s.", objectsLine(m))
	if r.LastApplied {
		t.b.WriteString(" Each carries kubectl's last-applied-configuration annotation (client-side apply).")
	}
	if !m.Converged {
		fmt.Fprintf(&t.b, " **Did not converge: %d of %d objects Ready at the timeout.**", m.TimeToReady.Ready, m.TimeToReady.Of)
	}
	t.b.WriteString("\n\n")
	t.row("figure", "manager", "floor", "manager/floor")
	t.row("---", "---:", "---:", "---:")
	f := r.Floor
	floorCell := func(s func(*RunFigures) string) string {
		if f == nil {
			return "–"
		}
		return s(f)
	}
	ratioCell := func(v func(*Ratios) float64) string {
		if r.Ratios == nil {
			return "–"
		}
		return fmt.Sprintf("%.2f", v(r.Ratios))
	}
	secs := func(v float64) string { return fmt.Sprintf("%.1f s", v) }
	t.row("wall time to all Ready", secs(m.WallSeconds), floorCell(func(f *RunFigures) string { return secs(f.WallSeconds) }), ratioCell(func(x *Ratios) float64 { return x.Wall }))
	t.row("wall time to all settled", secs(m.SettledSeconds), floorCell(func(f *RunFigures) string { return secs(f.SettledSeconds) }), ratioCell(func(x *Ratios) float64 { return x.Settled }))
	t.row("time-to-Ready p50", secs(m.TimeToReady.P50Seconds), floorCell(func(f *RunFigures) string { return secs(f.TimeToReady.P50Seconds) }), ratioCell(func(x *Ratios) float64 { return x.P50 }))
	t.row("time-to-Ready p95", secs(m.TimeToReady.P95Seconds), floorCell(func(f *RunFigures) string { return secs(f.TimeToReady.P95Seconds) }), ratioCell(func(x *Ratios) float64 { return x.P95 }))
	t.row("API-server writes", fmt.Sprint(m.API.TotalWrites), floorCell(func(f *RunFigures) string { return fmt.Sprint(f.API.TotalWrites) }), ratioCell(func(x *Ratios) float64 { return x.APIWrites }))
	t.row("API-server writes excluding events", fmt.Sprint(m.API.objectWrites()), floorCell(func(f *RunFigures) string { return fmt.Sprint(f.API.objectWrites()) }), ratioCell(func(x *Ratios) float64 { return x.ObjectWrites }))
	t.row("API-server requests (all verbs)", fmt.Sprint(m.API.Total), floorCell(func(f *RunFigures) string { return fmt.Sprint(f.API.Total) }), ratioCell(func(x *Ratios) float64 { return x.APIRequests }))
	t.row("kube-apiserver CPU while converging", secs(m.APIServerCPUSeconds), floorCell(func(f *RunFigures) string { return secs(f.APIServerCPUSeconds) }), ratioCell(func(x *Ratios) float64 { return x.APIServerCPU }))
	if m.MachineCPU != nil {
		busy := func(c *MachineCPU) string {
			if c == nil {
				return "–"
			}
			return fmt.Sprintf("%.1f s (%.0f %% of its %d cores)", c.BusySeconds, 100*c.Share, r.Machine.Cores)
		}
		t.row("machine CPU busy while converging, all processes", busy(m.MachineCPU), floorCell(func(f *RunFigures) string { return busy(f.MachineCPU) }), ratioCell(func(x *Ratios) float64 { return x.MachineBusy }))
	}
	t.row("Partner Center calls (floor: minimal)", fmt.Sprint(m.PartnerCenterTotal), fmt.Sprint(m.PartnerCenterMinimal), ratioCell(func(x *Ratios) float64 { return x.PartnerCenter }))
	t.row("Partner Center calls per onboarding", fmt.Sprintf("%.2f", ratio(float64(m.PartnerCenterTotal), float64(r.N))), fmt.Sprintf("%.2f", ratio(float64(m.PartnerCenterMinimal), float64(r.N))), "")
	t.row("parallel workers", fmt.Sprint(workersLine(m.Workers)), floorCell(func(f *RunFigures) string { return workersLine(f.Workers) }), "")
	t.b.WriteString("\n")
	r.roundsTable(&t)
	r.managerDetails(&t)
	if r.Limits != nil {
		t.b.WriteString(r.Limits.markdown(m.WallSeconds))
	}
	if r.Scale != nil {
		t.b.WriteString(r.Scale.markdown())
	}
	return strings.TrimRight(t.b.String(), "\n")
}

// roundsTable renders the rounds, when there were several: the manager and
// the floor measured alternately, each on a fresh control plane.
func (r *Result) roundsTable(t *table) {
	if len(r.Rounds) < 2 {
		return
	}
	fmt.Fprintf(&t.b, "Manager and floor measured alternately in %d rounds, each on a fresh control plane (round 1 gives the figures above and below). "+
		"Median manager/floor wall time: **%.2f**.\n\n", len(r.Rounds), r.Ratios.WallMedian)
	t.row("round", "manager wall", "floor wall", "manager/floor wall", "kube-apiserver CPU manager / floor", "machine CPU busy manager / floor")
	t.row("---:", "---:", "---:", "---:", "---:", "---:")
	for i, round := range r.Rounds {
		managerWall := fmt.Sprintf("%.1f s", round.ManagerWallSeconds)
		if !round.ManagerConverged {
			managerWall += " (timeout: not converged)"
		}
		t.row(fmt.Sprint(i+1), managerWall, fmt.Sprintf("%.1f s", round.FloorWallSeconds), fmt.Sprintf("%.2f", round.WallRatio()),
			fmt.Sprintf("%.1f s / %.1f s", round.ManagerAPIServerCPUSeconds, round.FloorAPIServerCPUSeconds),
			busyShares(round.ManagerMachineBusy, round.FloorMachineBusy))
	}
	t.b.WriteString("\n")
}

// managerDetails renders the manager-only figures.
func (r *Result) managerDetails(t *table) {
	m := r.Manager
	t.row("manager", "value")
	t.row("---", "---:")
	for _, k := range sortedKinds(m.Reconciles) {
		t.row("reconciles per "+string(k), fmt.Sprintf("%.2f", ratio(m.Reconciles[k], float64(m.Objects[k]))))
	}
	for _, k := range sortedKinds(m.TimeToReadyByKind) {
		l := m.TimeToReadyByKind[k]
		t.row("time-to-Ready p50 / p95 "+string(k), fmt.Sprintf("%.1f s / %.1f s", l.P50Seconds, l.P95Seconds))
	}
	for _, verb := range slices.Sorted(maps.Keys(m.API.ByVerb)) {
		t.row("API requests: "+verb, fmt.Sprint(m.API.ByVerb[verb]))
	}
	for _, w := range slices.Sorted(maps.Keys(m.API.Writes)) {
		t.row("API writes: "+w, fmt.Sprint(m.API.Writes[w]))
	}
	if m.API.Conflicts > 0 {
		t.row("API 409 conflicts", fmt.Sprint(m.API.Conflicts))
	}
	for _, op := range slices.Sorted(maps.Keys(m.PartnerCenter)) {
		t.row("Partner Center "+op+" per onboarding", fmt.Sprintf("%.2f", ratio(float64(m.PartnerCenter[op]), float64(r.N))))
	}
	if m.Throttled429 > 0 {
		t.row("Partner Center 429 answers", fmt.Sprint(m.Throttled429))
	}
	if m.AtEnd != nil {
		t.row("manager RSS at the end (peak; anonymous part)", fmt.Sprintf("%s (%s; %s)", mib(float64(m.AtEnd.RSSBytes)), mib(float64(m.AtEnd.PeakRSSBytes)), mib(float64(m.AtEnd.AnonRSSBytes))))
		t.row("Go heap live after GC / in use at the end", mib(m.HeapLiveBytes)+" / "+mib(m.HeapInuseBytes))
		t.row("manager CPU to converge / in total", fmt.Sprintf("%.1f s / %.1f s", m.AtConvergence.CPUSeconds, m.AtEnd.CPUSeconds))
	}
	if i := m.Idle; i != nil {
		t.row(fmt.Sprintf("idle %.0f s: API-server writes (target 0)", i.Seconds), fmt.Sprint(i.API.TotalWrites))
		t.row(fmt.Sprintf("idle %.0f s: API-server requests", i.Seconds), fmt.Sprint(i.API.Total))
		t.row(fmt.Sprintf("idle %.0f s: Partner Center calls (target ≤ %.1f)", i.Seconds, i.PartnerCenterTarget), fmt.Sprint(i.PartnerCenterCalls))
		for _, op := range slices.Sorted(maps.Keys(i.PartnerCenterByOperation)) {
			t.row(fmt.Sprintf("idle %.0f s: Partner Center %s", i.Seconds, op), fmt.Sprint(i.PartnerCenterByOperation[op]))
		}
		for _, w := range slices.Sorted(maps.Keys(i.API.Writes)) {
			t.row(fmt.Sprintf("idle %.0f s: API writes: %s", i.Seconds, w), fmt.Sprint(i.API.Writes[w]))
		}
		t.row(fmt.Sprintf("idle %.0f s: reconciles", i.Seconds), fmt.Sprintf("%.0f", i.Reconciles))
	}
	if th := m.Throttle; th != nil {
		t.row("calls before Retry-After (must be 0)", violationsCell(th))
		t.row("calls sent before the manager can have read their 429 (on their way; not violations)", fmt.Sprint(th.OnTheirWay))
		t.row("customers created twice (must be 0)", fmt.Sprint(th.DuplicateCustomers))
		t.row("orders placed twice (must be 0)", fmt.Sprint(th.DuplicateOrders))
		verdict := "PASSED"
		if !th.Passed() {
			verdict = "FAILED"
		}
		t.row("throttling assertions", verdict)
	}
}

// objectsLine lists the objects per kind.
func objectsLine(m *RunFigures) string {
	var parts []string
	for _, k := range sortedKinds(m.Objects) {
		parts = append(parts, fmt.Sprintf("%d %s", m.Objects[k], k))
	}
	return strings.Join(parts, ", ")
}

// workersLine lists workers per kind.
func workersLine(w map[Kind]int) string {
	var parts []string
	for _, k := range sortedKinds(w) {
		parts = append(parts, fmt.Sprintf("%s %d", k, w[k]))
	}
	return strings.Join(parts, ", ")
}

// sortedKinds returns the keys of a per-kind map in onboarding order.
func sortedKinds[V any](m map[Kind]V) []Kind {
	var ks []Kind
	for k := range m {
		ks = append(ks, k)
	}
	order := map[Kind]int{}
	for i, k := range allKinds {
		order[k] = i + 1
	}
	sort.Slice(ks, func(i, j int) bool {
		if order[ks[i]] != order[ks[j]] {
			return order[ks[i]] < order[ks[j]]
		}
		return ks[i] < ks[j]
	})
	return ks
}

// WriteSummary regenerates dir/README.md: one row per result file in dir.
func WriteSummary(dir string) error {
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return err
	}
	var results []*Result
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		r := &Result{}
		if err := json.Unmarshal(raw, r); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		results = append(results, r)
	}
	sort.Slice(results, func(i, j int) bool {
		if results[i].N != results[j].N {
			return results[i].N < results[j].N
		}
		return results[i].Name < results[j].Name
	})
	return os.WriteFile(filepath.Join(dir, "README.md"), []byte(summary(results)), 0o644)
}

// summary renders the summary table of several runs.
func summary(results []*Result) string {
	var t table
	t.b.WriteString("# Benchmark results\n\nWritten by `make bench` (test/bench); each run's full table is in `<name>.md`, its figures in `<name>.json`. " +
		"How they are measured: docs/performance.md.\n\n")
	t.row("run", "date", "cores", "objects", "wall to all Ready (floor)", "manager/floor wall", "p50 / p95 to Ready", "PC calls ÷ minimal", "API writes (floor)", "RSS at end", "idle writes / PC calls", "throttling checks")
	t.row("---", "---", "---:", "---", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---")
	for _, r := range results {
		m := r.Manager
		floorWall, wallRatio, floorWrites := "–", "–", "–"
		if r.Floor != nil && r.Ratios != nil {
			floorWall = fmt.Sprintf("%.1f s", r.Floor.WallSeconds)
			wallRatio = r.wallRatioCell()
			floorWrites = fmt.Sprint(r.Floor.API.TotalWrites)
		}
		idle, rss, checks := "–", "–", "–"
		if m.Idle != nil {
			idle = fmt.Sprintf("%d / %d", m.Idle.API.TotalWrites, m.Idle.PartnerCenterCalls)
		}
		if m.AtEnd != nil {
			rss = mib(float64(m.AtEnd.RSSBytes))
		}
		if m.Throttle != nil {
			checks = fmt.Sprintf("%d early calls, %d duplicate customers, %d duplicate orders", m.Throttle.Violations, m.Throttle.DuplicateCustomers, m.Throttle.DuplicateOrders)
		}
		wall := fmt.Sprintf("%.1f s (%s)", m.WallSeconds, floorWall)
		if !m.Converged {
			wall = fmt.Sprintf("not converged: %d/%d Ready", m.TimeToReady.Ready, m.TimeToReady.Of)
		}
		t.row("["+r.Name+"]("+r.Name+".md)", r.Date.Format("2006-01-02 15:04"), fmt.Sprint(r.Machine.Cores), objectsLine(m), wall, wallRatio,
			fmt.Sprintf("%.1f s / %.1f s", m.TimeToReady.P50Seconds, m.TimeToReady.P95Seconds),
			fmt.Sprintf("%.2f", ratio(float64(m.PartnerCenterTotal), float64(m.PartnerCenterMinimal))),
			fmt.Sprintf("%d (%s)", m.API.TotalWrites, floorWrites), rss, idle, checks)
	}
	return t.b.String()
}

// violationsCell is the count of early calls and, for each, how long after
// the 429 that began its hold was answered it arrived.
func violationsCell(th *ThrottleChecks) string {
	if len(th.ViolationDelays) == 0 {
		return fmt.Sprint(th.Violations)
	}
	delays := make([]string, len(th.ViolationDelays))
	for i, d := range th.ViolationDelays {
		delays[i] = fmt.Sprintf("%.1f", d)
	}
	return fmt.Sprintf("%d (arrived %s ms after the hold's 429 was answered)", th.Violations, strings.Join(delays, ", "))
}

// busyShares renders two machine busy shares as percentages, "–" where one
// was not measured (results from before the figure existed).
func busyShares(manager, floor float64) string {
	if manager == 0 || floor == 0 {
		return "–"
	}
	return fmt.Sprintf("%.0f %% / %.0f %%", 100*manager, 100*floor)
}
