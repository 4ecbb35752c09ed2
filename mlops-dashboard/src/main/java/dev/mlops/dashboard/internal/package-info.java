/**
 * The dashboard's implementation: the page models computed from the sources, the HTML and SVG rendering and the
 * HTTP server. Not part of the API.
 */
package dev.mlops.dashboard.internal;
