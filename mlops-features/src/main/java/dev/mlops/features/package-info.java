/**
 * Feature store API: entities, feature views and feature services with plan-and-apply, point-in-
 * time joins over the offline store, materialization into the online store, and serving.
 */
package dev.mlops.features;
