package org.optline.loadtest;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The SRE harness: {@code seed} opts recipients in, {@code run} loads a gateway at a constant
 * arrival rate and measures latency from the intended send times, {@code find-max} searches
 * for the highest rate that holds, {@code selfcheck} does all of that against a gateway of its
 * own, and {@code baseline} serves the protocols with no admission work, as the machine's limit.
 */
@Command(
        name = "optline-loadtest",
        mixinStandardHelpOptions = true,
        version = "optline-loadtest 0.1",
        usageHelpAutoWidth = true,
        description = "Load-tests an Optline gateway: seed recipients, run at a constant arrival rate, "
                + "find the highest rate that holds, or compare with a bare-Netty baseline.",
        subcommands = {
                SeedCommand.class, RunCommand.class, FindMaxCommand.class, SelfCheckCommand.class,
                BaselineCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the run passed", "1:the run failed, or an SLO did not hold", "2:usage error"})
public final class LoadTest implements Callable<Integer> {
    /** Where the business key is read from when --key is not given: keeps it off the command line. */
    static final String KEY_VARIABLE = "OPTLINE_KEY";
    /** Where the platform key is read from when --platform-key is not given. */
    static final String PLATFORM_KEY_VARIABLE = "OPTLINE_PLATFORM_KEY";

    private final Map<String, String> environment;

    @Spec
    private CommandSpec spec;

    /** {@code environment} supplies the keys not given as options. */
    LoadTest(Map<String, String> environment) {
        this.environment = environment;
    }

    /** Runs the command and exits with its exit code. */
    public static void main(String[] args) {
        System.exit(commandLine(System.getenv()).execute(args));
    }

    /** The command line for this command, reading missing keys from {@code environment}. */
    static CommandLine commandLine(Map<String, String> environment) {
        return new CommandLine(new LoadTest(environment))
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler(LoadTest::usageError);
    }

    Map<String, String> environment() {
        return environment;
    }

    /** Without a subcommand there is nothing to do: say which there are. */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing a command: seed, run, find-max, selfcheck or baseline");
    }

    /** A usage error: the message and a pointer to --help, without the whole usage text. */
    private static int usageError(ParameterException e, String[] args) {
        CommandLine commandLine = e.getCommandLine();
        PrintWriter err = commandLine.getErr();
        err.println(e.getMessage());
        err.println("Try '" + commandLine.getCommandSpec().qualifiedName() + " --help' for the options.");
        err.flush();
        return commandLine.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** Turns a setting's IllegalArgumentException into a usage error of {@code spec}'s command. */
    static ParameterException usage(CommandSpec spec, IllegalArgumentException e) {
        return new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
}
