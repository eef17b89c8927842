package main

import (
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
)

// announceLink prints a partner attestation's acceptance link the first time
// the watch shows it (M11): in the demo the simulated customer accepts it a
// few seconds later; in real life the partner sends it to the customer.
// announced holds the links already printed.
func announceLink(obj client.Object, announced map[string]bool) {
	a, ok := obj.(*v1alpha1.MCAAttestation)
	if !ok || a.Status.Attestation == nil || a.Status.Attestation.AcceptanceURL == "" || announced[a.Status.Attestation.AcceptanceURL] {
		return
	}
	link := a.Status.Attestation
	announced[link.AcceptanceURL] = true
	expires := "?"
	if link.ExpiresAt != nil {
		expires = link.ExpiresAt.UTC().Format("2006-01-02 15:04 MST")
	}
	say("MCAAttestation %s: acceptance link for %s %s, expires %s (the simulated customer accepts it a few seconds later):\n          %s",
		a.Name, a.Spec.AcceptedBy.FirstName, a.Spec.AcceptedBy.LastName, expires, link.AcceptanceURL)
}
