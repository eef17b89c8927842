package main

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
)

// followOptions say what the live table waits for and what happens then.
type followOptions struct {
	expected      []objectRef
	timeout       time.Duration
	exitWhenReady bool
	explore       exploreHints
}

// exploreHints is what the summary needs to tell people how to look around.
type exploreHints struct {
	dir, assets, refusal string
}

// follow prints the live table until every expected object is Ready (then a
// summary), the timeout passes (then the stuck objects' conditions) or
// Ctrl-C. With exitWhenReady it returns at the first two; its result is the
// exit code.
func (w *watcher) follow(ctx context.Context, o followOptions) int {
	say("watching the samples (like kubectl get partnercenter -w) until all are Ready; time limit %s", o.timeout)
	printHeader()
	printed := map[objectRef]row{}
	readyAt := map[objectRef]string{}
	links := map[string]bool{}
	deadline := time.NewTimer(o.timeout)
	defer deadline.Stop()
	summarized := false
	for {
		select {
		case obj := <-w.changes:
			ref := refOf(obj)
			w.latest[ref] = obj
			announceLink(obj, links)
			if r := readyRow(obj); printed[ref] != r {
				printRow(ref, r)
				printed[ref] = r
			}
			if _, seen := readyAt[ref]; !seen && isReady(obj) {
				readyAt[ref] = elapsed()
			}
			if summarized || !w.allReady(o.expected) {
				continue
			}
			summarized = true
			w.summarize(o, readyAt)
			if o.exitWhenReady {
				return 0
			}
			say("running until Ctrl-C, which stops the manager, kube-apiserver and etcd")
		case <-deadline.C:
			if summarized {
				continue
			}
			w.reportStuck(o.expected, o.timeout, o.explore.dir)
			if o.exitWhenReady {
				return 1
			}
			say("still watching; Ctrl-C stops the manager, kube-apiserver and etcd")
		case <-ctx.Done():
			say("Ctrl-C: stopping the manager, kube-apiserver and etcd")
			return 0
		}
	}
}

// allReady says whether every expected object was seen Ready.
func (w *watcher) allReady(expected []objectRef) bool {
	for _, ref := range expected {
		obj, ok := w.latest[ref]
		if !ok || !isReady(obj) {
			return false
		}
	}
	return true
}

// summarize tells what happened and how to keep exploring.
func (w *watcher) summarize(o followOptions, readyAt map[objectRef]string) {
	fmt.Println()
	say("every sample is Ready. What happened (status.backend: %s):", w.backends(o.expected))
	for _, ref := range o.expected {
		fmt.Printf("          %-40s Ready at %-6s %s\n", ref, readyAt[ref], details(w.latest[ref]))
	}
	if o.explore.refusal != "" {
		fmt.Printf("          invalid sample refused by admission: %s\n", shorten(o.explore.refusal, 160))
	}
	fmt.Println()
	fmt.Println("Explore (in another terminal, while this runs):")
	fmt.Printf("  export KUBECONFIG=%s\n", filepath.Join(o.explore.dir, "kubeconfig"))
	kubectl := kubectlCommand(o.explore.assets)
	fmt.Printf("  %s get partnercenter                      # the four kinds and whether each is Ready\n", kubectl)
	fmt.Printf("  %s get pcc -o wide                        # customers: ID, verification, agreement, backend\n", kubectl)
	fmt.Printf("  %s describe pcs contoso-brasil-m365       # an order's conditions and events\n", kubectl)
	for _, name := range w.credentialsSecrets(o.expected) {
		fmt.Printf("  %s get secret %s -o yaml   # the customer's admin user and temporary password (simulated)\n", kubectl, name)
	}
	fmt.Printf("  less %s                      # the manager's log\n", relative(filepath.Join(o.explore.dir, "manager.log")))
	fmt.Println()
}

// backends lists the distinct status.backend values of the objects.
func (w *watcher) backends(refs []objectRef) string {
	seen := map[string]bool{}
	for _, ref := range refs {
		if so, ok := w.latest[ref].(v1alpha1.StatusObject); ok {
			seen[string(so.GetCommonStatus().Backend)] = true
		}
	}
	names := make([]string, 0, len(seen))
	for b := range seen {
		if b == "" {
			b = "(not set)"
		}
		names = append(names, b)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// credentialsSecrets names the Customers' credentials Secrets.
func (w *watcher) credentialsSecrets(refs []objectRef) []string {
	var names []string
	for _, ref := range refs {
		if c, ok := w.latest[ref].(*v1alpha1.Customer); ok && c.Status.CredentialsSecretName != "" {
			names = append(names, c.Status.CredentialsSecretName)
		}
	}
	return names
}

// details is the one-line outcome of an object, from its kind's status.
func details(obj client.Object) string {
	var parts []string
	add := func(label, value string) {
		if value != "" {
			parts = append(parts, label+" "+value)
		}
	}
	switch o := obj.(type) {
	case *v1alpha1.ResellerPartnership:
		add("phase", string(o.Status.Phase))
		add("reseller", o.Status.ResellerName)
		add("tenant", o.Status.ResellerTenantID)
	case *v1alpha1.Customer:
		add("customer ID", o.Status.CustomerID)
		add("verification", o.Status.VerificationStatus)
		add("agreement", o.Status.AgreementStatus)
		add("credentials Secret", o.Status.CredentialsSecretName)
	case *v1alpha1.MCAAttestation:
		add("method", string(o.Spec.Method))
		add("agreement", o.Status.AgreementStatus)
	case *v1alpha1.Subscription:
		add("subscription", o.Status.SubscriptionID)
		add("order", o.Status.OrderID)
		add("status", o.Status.RemoteStatus)
		if o.Status.Quantity > 0 {
			add("licenses", fmt.Sprint(o.Status.Quantity))
		}
	}
	return strings.Join(parts, ", ")
}

// reportStuck prints every expected object that is not Ready, with all its
// conditions, so CI logs say what blocked it.
func (w *watcher) reportStuck(expected []objectRef, timeout time.Duration, dir string) {
	fmt.Println()
	say("not every sample is Ready after %s. The objects that are not:", timeout)
	for _, ref := range expected {
		obj, ok := w.latest[ref]
		switch {
		case !ok:
			fmt.Printf("  %s: never seen by the watch\n", ref)
		case isReady(obj):
			continue
		default:
			fmt.Printf("  %s:\n", ref)
			printConditions(obj)
		}
	}
	fmt.Printf("  the manager's log: %s\n\n", relative(filepath.Join(dir, "manager.log")))
}

// printConditions prints all of obj's conditions, or says it has none.
func printConditions(obj client.Object) {
	so, ok := obj.(v1alpha1.StatusObject)
	if !ok || len(so.GetCommonStatus().Conditions) == 0 {
		fmt.Printf("      no status at all: no controller acted on it (is the %s reconciler registered in cmd/controllers.go?)\n", kindOf(obj))
		return
	}
	for _, c := range so.GetCommonStatus().Conditions {
		fmt.Printf("      %s=%s  %s: %s\n", c.Type, c.Status, c.Reason, c.Message)
	}
}

// kubectlCommand is how to call kubectl: from PATH, or the one
// hack/envtest-assets.sh keeps next to kube-apiserver.
func kubectlCommand(assets string) string {
	if _, err := exec.LookPath("kubectl"); err == nil {
		return "kubectl"
	}
	return filepath.Join(assets, "kubectl")
}
