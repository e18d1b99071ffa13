// Package routing takes every dispute in once and routes it (分流) by rules
// to a track (people's, administrative or judicial mediation, adjudication,
// reconsideration, litigation), an organisation and a mediator, and keeps
// the history of every transfer between tracks under one code (一事一码).
//
// It imports only the shared vocabulary and the legal clock; where it hands
// work to another domain (opening a mediation case), it declares the small
// interface it needs and cmd wires the implementation.
package routing
