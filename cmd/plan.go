package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/utils/clock"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/config"
	"github.com/cspforge/partnercenter-operator/internal/plan"
)

// planCommand is `manager plan -f DIR`: what applying the directory would
// do, read from the cluster of the current kubeconfig and Partner Center,
// writing nothing (see docs/plan.md).
func planCommand(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	pcFlags := partnerCenterFlags(fs)
	dir := fs.String("f", "", "Directory of YAML to plan (kustomization files are skipped).")
	namespace := fs.String("n", "default", "Namespace the objects would be applied to.")
	output := fs.String("o", "markdown", "Output: markdown or json.")
	role := fs.String("partner-role", string(config.RoleDirectBill), "The operator's --partner-role (its admission rules depend on it).")
	partnerDomain := fs.String("partner-domain", "", "The operator's --partner-domain (C4).")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *dir == "" || pcFlags.partnerCenterURL == "" || (*output != "markdown" && *output != "json") {
		return usageError(stderr, fs, "plan needs -f DIR and --partner-center-url; -o is markdown or json")
	}
	partnerRole, err := config.ParseRole(*role)
	if err != nil {
		return usageError(stderr, fs, "%v", err)
	}
	p, err := makePlan(*dir, *namespace, pcFlags, config.Operator{Role: partnerRole, PartnerDomain: *partnerDomain, Clock: clock.RealClock{}})
	if err != nil {
		_, _ = fmt.Fprintln(stderr, "error:", err)
		return 1
	}
	if *output == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(p); err != nil {
			return 1
		}
	} else {
		_, _ = fmt.Fprint(stdout, p.Markdown())
	}
	if p.Counts()[plan.Refused] > 0 {
		return 3 // a CI check fails on a directory admission would refuse
	}
	return 0
}

// makePlan loads dir and plans it against the cluster of the current kubeconfig and Partner Center.
func makePlan(dir, namespace string, pcFlags *flags, operator config.Operator) (*plan.Plan, error) {
	objects, err := plan.Load(dir)
	if err != nil {
		return nil, err
	}
	scheme := runtime.NewScheme()
	if err := clientgoscheme.AddToScheme(scheme); err != nil {
		return nil, err
	}
	if err := v1alpha1.AddToScheme(scheme); err != nil {
		return nil, err
	}
	cfg, err := ctrl.GetConfig()
	if err != nil {
		return nil, err
	}
	cluster, err := client.New(cfg, client.Options{Scheme: scheme})
	if err != nil {
		return nil, err
	}
	pc, _, _, err := partnerCenterClient(pcFlags)
	if err != nil {
		return nil, err
	}
	return plan.Make(context.Background(), plan.Inputs{Cluster: cluster, PartnerCenter: pc, Operator: operator, Namespace: namespace}, objects)
}
