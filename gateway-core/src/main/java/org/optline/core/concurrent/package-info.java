/** Small pieces of concurrency shared by the services: moving work to another thread and back. */
package org.optline.core.concurrent;
