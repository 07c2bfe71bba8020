<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
  <context>
    <name>GuideDialog</name>
    <message numerus="yes">
      <source>%n hit(s)</source>
      <translation>
        <numerusform>%n hit</numerusform>
        <numerusform>%n hits</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>HandlesTab</name>
    <message numerus="yes">
      <source>%n record(s)</source>
      <translation>
        <numerusform>%n record</numerusform>
        <numerusform>%n records</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>HistoryDialog</name>
    <message numerus="yes">
      <source>%n change(s)</source>
      <translation>
        <numerusform>%n change</numerusform>
        <numerusform>%n changes</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>Humanize</name>
    <message numerus="yes">
      <source>due in %n day(s)</source>
      <translation>
        <numerusform>due in %n day</numerusform>
        <numerusform>due in %n days</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>every %n day(s)</source>
      <translation>
        <numerusform>every %n day</numerusform>
        <numerusform>every %n days</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>every %n hour(s)</source>
      <translation>
        <numerusform>every %n hour</numerusform>
        <numerusform>every %n hours</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>every %n month(s)</source>
      <translation>
        <numerusform>every %n month</numerusform>
        <numerusform>every %n months</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>every %n week(s)</source>
      <translation>
        <numerusform>every %n week</numerusform>
        <numerusform>every %n weeks</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>every %n year(s)</source>
      <translation>
        <numerusform>every %n year</numerusform>
        <numerusform>every %n years</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>overdue by %n day(s)</source>
      <translation>
        <numerusform>overdue by %n day</numerusform>
        <numerusform>overdue by %n days</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>%n day(s) before</source>
      <translation>
        <numerusform>%n day before</numerusform>
        <numerusform>%n days before</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>%n month(s) before</source>
      <translation>
        <numerusform>%n month before</numerusform>
        <numerusform>%n months before</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>ImportDialog</name>
    <message numerus="yes">
      <source>Update the %n object(s) whose number is already there, from this file</source>
      <translation>
        <numerusform>Update the %n object whose number is already there, from this file</numerusform>
        <numerusform>Update the %n objects whose number is already there, from this file</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>Import the good rows (%n)</source>
      <translation>
        <numerusform>Import the good rows (%n)</numerusform>
        <numerusform>Import the good rows (%n)</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>%n existing object(s) will be updated.</source>
      <translation>
        <numerusform>%n existing object will be updated.</numerusform>
        <numerusform>%n existing objects will be updated.</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>ObjectsTab</name>
    <message numerus="yes">
      <source>%n object(s)</source>
      <translation>
        <numerusform>%n object</numerusform>
        <numerusform>%n objects</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>OverviewTab</name>
    <message numerus="yes">
      <source>%n record(s) with abnormal checks in the last %1 days</source>
      <translation>
        <numerusform>%n record with abnormal checks in the last %1 days</numerusform>
        <numerusform>%n records with abnormal checks in the last %1 days</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>ReminderTray</name>
    <message numerus="yes">
      <source>%n maintenance task(s) need attention</source>
      <translation>
        <numerusform>%n maintenance task needs attention</numerusform>
        <numerusform>%n maintenance tasks need attention</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>StatisticsTab</name>
    <message numerus="yes">
      <source>%n statistic(s)</source>
      <translation>
        <numerusform>%n statistic</numerusform>
        <numerusform>%n statistics</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>%n reading(s)</source>
      <translation>
        <numerusform>%n reading</numerusform>
        <numerusform>%n readings</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>TasksTab</name>
    <message numerus="yes">
      <source>Showing %n reminded task(s)</source>
      <translation>
        <numerusform>Showing %n reminded task</numerusform>
        <numerusform>Showing %n reminded tasks</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>%n task(s)</source>
      <translation>
        <numerusform>%n task</numerusform>
        <numerusform>%n tasks</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>CsvDialogs</name>
    <message numerus="yes">
      <source>%n bad row(s) were left out.</source>
      <translation>
        <numerusform>%n bad row was left out.</numerusform>
        <numerusform>%n bad rows were left out.</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>Exported %n record(s) to
%1</source>
      <translation>
        <numerusform>Exported %n record to
%1</numerusform>
        <numerusform>Exported %n records to
%1</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>%n existing object(s) were updated.</source>
      <translation>
        <numerusform>%n existing object was updated.</numerusform>
        <numerusform>%n existing objects were updated.</numerusform>
      </translation>
    </message>
  </context>
</TS>
