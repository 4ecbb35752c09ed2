/**
 * The monitoring dashboard's API: {@link dev.mlops.dashboard.Dashboard#builder()} takes the components to show
 * (each optional) and starts the server.
 */
package dev.mlops.dashboard;
